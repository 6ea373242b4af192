"""The therapist's reassessment decision and the discharge summary's judgements."""

from __future__ import annotations

from typing import Any

from django import forms

from kneadwell.knowledge.loader import load_knowledge
from kneadwell.reports.documents import ConsentMissing, consent_to_share
from kneadwell.reports.models import LOGO_MAX_BYTES, Delivery, Letterhead, logo_type

_OFFERED = "Choose one of the options offered for this plan."


class ReassessmentForm(forms.Form):
    """The therapist's decision at a reassessment point, from the options the plan offers."""

    decision = forms.ChoiceField(
        label="What happens next?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what happens next.", "invalid_choice": _OFFERED},
    )
    note = forms.CharField(
        label="Note",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why, in a sentence or two: it goes into the record (and the letter).",
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = choices


GOAL_OUTCOMES = [("met", "Met"), ("partly", "Partly met"), ("not_met", "Not met")]


class DischargeForm(forms.Form):
    """The discharge summary's judgements: each plan goal met or not, and recommendations."""

    recommendations = forms.CharField(
        label="Recommendations",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="For the client and physician: home exercise, self-care, when to come back.",
        error_messages={"required": "Write your recommendations for the client and physician."},
    )

    def __init__(self, *args: Any, goals: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.goals = goals
        for index, text in enumerate(goals):
            self.fields[f"goal_{index}"] = forms.ChoiceField(
                label=f"Goal: {text}",
                choices=GOAL_OUTCOMES,
                widget=forms.RadioSelect,
                error_messages={
                    "required": "Say whether this goal was met, partly met or not met."
                },
            )

    def goal_fields(self) -> list[forms.BoundField]:
        return [self[f"goal_{index}"] for index in range(len(self.goals))]

    def goal_outcomes(self) -> list[tuple[str, str]]:
        """(goal text, outcome code), in the plan's order."""
        return [(text, self.cleaned_data[f"goal_{i}"]) for i, text in enumerate(self.goals)]


class IssueForm(forms.Form):
    """How a document goes out: downloaded, printed or emailed to the physician, and to whom.
    Progress reports add what the therapist asks; visit notes which notes; handouts which one."""

    method = forms.ChoiceField(
        label="How does it go out?",
        widget=forms.RadioSelect,
        initial="download",
        error_messages={"required": "Choose how the document goes out."},
    )
    recipient = forms.CharField(
        label="To whom",
        required=False,
        max_length=300,
        help_text="Kept with the document, e.g. the physician's name and practice.",
    )
    to_email = forms.EmailField(
        label="Email address",
        required=False,
        help_text="Only for email. The message says nothing about the client's health; the "
        "PDF attached is the record.",
        error_messages={"invalid": "Enter an email address such as dr.lee@example.org."},
    )

    share_with_client = forms.BooleanField(
        label="Also let the client download it in the client portal",
        required=False,
        help_text="You can stop sharing it later from the client's documents.",
    )

    def __init__(self, *args: Any, client, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.client, self.kind = client, kind
        self.fields["method"].choices = [
            ("download", "Download the PDF"),
            ("print", "Open it to print"),
            (Delivery.EMAIL, "Email it to the physician"),
        ]
        physician = ", ".join(filter(None, [client.physician_name, client.physician_practice]))
        self.fields["recipient"].initial = physician
        self.fields["to_email"].initial = client.physician_email
        if kind == "progress":
            self.fields["ask"] = forms.CharField(
                label="What I ask of the physician",
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text="Printed at the end of the report.",
            )
        if kind == "visit_notes":
            signed = client.visits.filter(status="signed").order_by("-visit_date", "-id")
            self.fields["visits"] = forms.ModelMultipleChoiceField(
                label="Which signed notes",
                queryset=signed,
                widget=forms.CheckboxSelectMultiple,
                error_messages={"required": "Choose at least one signed note."},
            )
            self.fields["visits"].label_from_instance = lambda v: f"{v.visit_date:%Y-%m-%d}"
        if kind == "handout":
            handouts = load_knowledge().handouts
            self.fields["handout"] = forms.ChoiceField(
                label="Which handout",
                choices=[(h.id, h.title) for h in handouts.values()],
                error_messages={"required": "Choose a handout.", "invalid_choice": _OFFERED},
            )

    def clean(self):
        data = super().clean()
        if data.get("method") == "email":
            if not data.get("to_email") and "to_email" not in self.errors:
                missing = {"to_email": "Give the email address to send the document to."}
                self.add_error(None, forms.ValidationError(missing))
            try:
                consent_to_share(self.client)
            except ConsentMissing as refused:
                self.add_error(None, forms.ValidationError({"method": str(refused)}))
        return data

    def delivery(self) -> dict:
        data = self.cleaned_data
        return {
            "method": data["method"],
            "recipient": data["recipient"],
            "to_email": data["to_email"] if data["method"] == "email" else "",
        }


class LetterheadForm(forms.ModelForm):
    """The clinic's letterhead as the owner sets it; the logo is a small PNG or JPEG."""

    logo_file = forms.FileField(
        label="Logo",
        required=False,
        help_text="A PNG or JPEG up to 200 KB. Leave empty to keep the current one.",
    )
    remove_logo = forms.BooleanField(label="Remove the logo", required=False)

    class Meta:
        model = Letterhead
        fields = ["name", "address", "phone", "email", "website"]
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"name": "Leave empty to use the clinic's name."}

    def clean_logo_file(self):
        upload = self.cleaned_data.get("logo_file")
        if not upload:
            return None
        if upload.size > LOGO_MAX_BYTES:
            raise forms.ValidationError("The logo is larger than 200 KB; choose a smaller image.")
        data = upload.read()
        if logo_type(data) is None:
            raise forms.ValidationError("The logo must be a PNG or JPEG image.")
        return data

    def save(self, commit=True):
        letterhead = super().save(commit=False)
        data = self.cleaned_data.get("logo_file")
        if data:
            letterhead.logo, letterhead.logo_type = data, logo_type(data)
        elif self.cleaned_data.get("remove_logo"):
            letterhead.logo, letterhead.logo_type = None, ""
        if commit:
            letterhead.save()
        return letterhead
