"""The outcomes page's filters, and the owner's outcome settings."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms

from kneadwell.accounts.models import Role, User
from kneadwell.analytics.models import OutcomeSettings
from kneadwell.analytics.outcomes import PRIMARY, Filters
from kneadwell.knowledge.instruments.registry import load_instruments
from kneadwell.knowledge.loader import load_knowledge

DEFAULT_YEARS = 2
LONGEST_YEARS = 20


class OutcomeFilterForm(forms.Form):
    """Which courses the figures count: those started between two dates, narrowed by
    condition, therapist (owners only) and the measure outcomes are read on."""

    start = forms.DateField(
        label="Courses started from",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter a date such as 2025-01-31."},
    )
    end = forms.DateField(
        label="Courses started until",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter a date such as 2025-12-31."},
    )
    condition = forms.ChoiceField(label="Condition", required=False)
    therapist = forms.ChoiceField(label="Therapist", required=False)
    measure = forms.ChoiceField(label="Measure", required=False)

    def __init__(self, *args, membership, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["start"].help_text = f"Leave blank for the last {DEFAULT_YEARS} years."
        self.fields["condition"].choices = [("", "All conditions")] + [
            (c.id, c.name) for c in load_knowledge().conditions.values()
        ]
        self.fields["measure"].choices = [(PRIMARY, "Each course's primary measure")] + [
            (i.id, f"{i.short_name}: {i.name}")
            for i in load_instruments().values()
            if i.change_measure == "score"
        ]
        if membership.is_owner:
            people = User.objects.filter(
                membership__clinic_id=membership.clinic_id,
                membership__role=Role.THERAPIST,
            ).order_by("first_name", "last_name", "email")
            self.fields["therapist"].choices = [("", "All therapists")] + [
                (str(p.pk), str(p)) for p in people
            ]
        else:
            del self.fields["therapist"]  # a therapist sees only their own clients anyway

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            self.add_error("end", "The end date is before the start date; swap them.")
        if start and end and (end - start).days > 366 * LONGEST_YEARS:
            self.add_error("start", f"Choose a period of at most {LONGEST_YEARS} years.")
        return cleaned

    def filters(self) -> Filters:
        """The filters chosen (valid form), with blank dates filled by the defaults."""
        data = self.cleaned_data if self.is_bound else {}
        end = data.get("end") or self.today
        start = data.get("start") or end - timedelta(days=365 * DEFAULT_YEARS)
        therapist = data.get("therapist")
        return Filters(
            start=start,
            end=end,
            condition=data.get("condition") or "",
            therapist=int(therapist) if therapist else None,
            measure=data.get("measure") or PRIMARY,
        )


class OutcomeSettingsForm(forms.ModelForm):
    class Meta:
        model = OutcomeSettings
        fields = ["dropout_weeks", "min_group"]
        error_messages = {
            "dropout_weeks": {
                "invalid": "Enter a whole number of weeks, such as 8.",
                "required": "Enter how many weeks without a visit count as dropping out.",
            },
            "min_group": {
                "invalid": "Enter a whole number, such as 10.",
                "required": "Enter the smallest group a figure is shown for.",
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dropout_weeks"].widget.attrs.update(min=1, max=104)
        self.fields["min_group"].widget.attrs.update(min=5, max=1000)
        self.fields["min_group"].help_text = (
            "Figures about fewer courses than this say “too few to show”. At least 5: "
            "smaller groups can point to one or two clients, and their numbers swing widely."
        )

    def clean_dropout_weeks(self):
        weeks = self.cleaned_data["dropout_weeks"]
        if not 1 <= weeks <= 104:
            raise forms.ValidationError("Choose between 1 and 104 weeks.")
        return weeks

    def clean_min_group(self):
        size = self.cleaned_data["min_group"]
        if not 5 <= size <= 1000:
            raise forms.ValidationError("Choose a group size between 5 and 1000.")
        return size
