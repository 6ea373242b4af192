"""Intake, check-in, clearance, referral and treatment-check forms.

Choices come from the knowledge base. The intake form has no client or staff-only fields, so the
client portal can show it to the client as it is.
"""

from __future__ import annotations

from django import forms

from kneadwell.core.validators import past_date, past_moment
from kneadwell.knowledge.loader import load_knowledge
from kneadwell.knowledge.schema import AFFECTED_REGION, ALL_CONDITIONS, RedFlag
from kneadwell.screening.bodychart import BodyChartField, drawn_regions
from kneadwell.screening.engine import PREGNANCY, PREGNANCY_LATE
from kneadwell.screening.models import Clearance, Referral, SendMethod

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
YES_NO = [("yes", "Yes"), ("no", "No")]
RED_FLAG_REQUIRED = "Answer yes or no. Ask it directly: clients rarely mention this on their own."


def red_flag_field(flag: RedFlag, *, required: bool = True) -> forms.ChoiceField:
    conditions = load_knowledge().conditions
    help_text = ""
    if flag.applies_to != ALL_CONDITIONS:
        names = ", ".join(conditions[c].name for c in flag.applies_to)
        help_text = f"Ask clients with: {names}."
    return forms.ChoiceField(
        label=flag.question,
        choices=YES_NO,
        widget=forms.RadioSelect,
        required=required,
        help_text=help_text,
        error_messages={"required": RED_FLAG_REQUIRED},
    )


def area_triggers() -> list[str]:
    """History items and findings whose rules act on "the affected area", in vocabulary order."""
    kb = load_knowledge()
    wanted = {
        rule.trigger.value
        for rule in kb.rules.values()
        if rule.trigger.kind in ("history", "finding")
        and any(effect.region == AFFECTED_REGION for effect in rule.effects)
    }
    vocabulary = [*kb.history_items.values(), *kb.findings.values()]
    return [item.id for item in vocabulary if item.id in wanted]


def _choices(table) -> list[tuple[str, str]]:
    return [(entry.id, entry.name) for entry in table.values()]


class IntakeForm(forms.Form):
    """The intake interview. ``answers()`` gives the JSON an Intake and its Screening store."""

    complaint = forms.CharField(
        label="What brings the client in?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Describe the main complaint in the client's words."},
    )
    conditions = forms.MultipleChoiceField(
        label="Conditions", required=False, widget=forms.CheckboxSelectMultiple
    )
    onset = forms.DateField(
        label="When did it start?",
        required=False,
        widget=DATE,
        error_messages={"invalid": "Enter the date, for example 2026-01-31."},
    )
    duration = forms.CharField(
        label="How long has it lasted?",
        required=False,
        max_length=100,
        help_text="In the client's words, for example 'about 3 months' or 'on and off for years'.",
    )
    pain_areas = BodyChartField(
        label="Where is the pain?", help_text="Click the chart or tick the areas in the list."
    )
    medication_classes = forms.MultipleChoiceField(
        label="Medicines that change the session",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    medications = forms.CharField(
        label="Other medicines",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Names and doses as the client gives them.",
    )
    history = forms.MultipleChoiceField(
        label="Health history", required=False, widget=forms.CheckboxSelectMultiple
    )
    pregnancy_week = forms.IntegerField(
        label="If pregnant: which week?",
        required=False,
        min_value=1,
        max_value=45,
        error_messages={
            "invalid": "Enter the week of pregnancy as a number, for example 22.",
            "min_value": "Enter a week from 1 to 45.",
            "max_value": "Enter a week from 1 to 45.",
        },
    )
    findings = forms.MultipleChoiceField(
        label="Seen or reported today", required=False, widget=forms.CheckboxSelectMultiple
    )
    goals = forms.CharField(
        label="The client's goals",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What they want to be able to do again.",
    )
    consent = forms.BooleanField(
        label="The client agrees to this screening and to be treated as discussed.",
        error_messages={"required": "Record the client's consent before saving the intake."},
    )

    def __init__(self, *args, born=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.born = born  # the client's date of birth, when known
        kb = load_knowledge()
        self.fields["conditions"].choices = _choices(kb.conditions)
        self.fields["medication_classes"].choices = _choices(kb.medication_classes)
        implied = {PREGNANCY, PREGNANCY_LATE[0]}  # from the pregnancy week instead
        self.fields["history"].choices = [
            choice for choice in _choices(kb.history_items) if choice[0] not in implied
        ]
        self.fields["findings"].choices = _choices(kb.findings)
        names = {**dict(_choices(kb.history_items)), **dict(_choices(kb.findings))}
        self.area_fields = []
        for item in area_triggers():
            name = f"area_{item}"
            self.fields[name] = forms.MultipleChoiceField(
                label=f"Where: {names[item]}",
                required=False,
                choices=self.fields["pain_areas"].choices,
                widget=forms.SelectMultiple(attrs={"size": 4}),
                help_text="Only if ticked above. Hold Ctrl or ⌘ to choose more than one area.",
            )
            self.area_fields.append(name)
        self.red_flag_fields = []
        for flag in kb.red_flags.values():
            name = f"rf_{flag.id}"
            self.fields[name] = red_flag_field(flag, required=flag.applies_to == ALL_CONDITIONS)
            self.red_flag_fields.append(name)

    def clean_onset(self):
        onset = self.cleaned_data["onset"]
        return onset and past_date(onset, "the start date", born=self.born)

    def clean(self):
        cleaned = super().clean()
        chosen = set(cleaned.get("conditions") or [])
        for flag in load_knowledge().red_flags.values():
            name = f"rf_{flag.id}"
            asked = flag.applies_to != ALL_CONDITIONS and chosen & set(flag.applies_to)
            if asked and not cleaned.get(name) and name not in self.errors:
                self.add_error(name, RED_FLAG_REQUIRED)
        ticked = set(cleaned.get("history") or []) | set(cleaned.get("findings") or [])
        for name in self.area_fields:
            if cleaned.get(name) and name.removeprefix("area_") not in ticked:
                self.add_error(name, "Tick the item above as well, or clear the areas here.")
        return cleaned

    @property
    def red_flag_group(self):
        return [self[name] for name in self.red_flag_fields]

    @property
    def area_group(self):
        return [self[name] for name in self.area_fields]

    def answers(self) -> dict:
        data = self.cleaned_data
        areas = {
            name.removeprefix("area_"): data[name] for name in self.area_fields if data.get(name)
        }
        red_flags = {
            name.removeprefix("rf_"): data[name] == "yes"
            for name in self.red_flag_fields
            if data.get(name)
        }
        return {
            "complaint": data["complaint"],
            "conditions": data["conditions"],
            "onset": data["onset"].isoformat() if data["onset"] else None,
            "duration": data["duration"],
            "pain_areas": data["pain_areas"],
            "medication_classes": data["medication_classes"],
            "medications": data["medications"],
            "history": data["history"],
            "areas": areas,
            "pregnancy_week": data["pregnancy_week"],
            "findings": data["findings"],
            "red_flags": red_flags,
            "goals": data["goals"],
            "consent": data["consent"],
        }

    @classmethod
    def data_from_answers(cls, answers: dict) -> dict:
        """Form data for stored-style answers (the API sends answers, the form checks them)."""
        data = {
            key: answers.get(key)
            for key in (
                "complaint",
                "conditions",
                "onset",
                "duration",
                "pain_areas",
                "medication_classes",
                "medications",
                "history",
                "pregnancy_week",
                "findings",
                "goals",
                "consent",
            )
            if answers.get(key) not in (None, "")
        }
        for item, regions in (answers.get("areas") or {}).items():
            data[f"area_{item}"] = regions
        for flag, yes in (answers.get("red_flags") or {}).items():
            data[f"rf_{flag}"] = "yes" if yes else "no"
        return data


class CheckinForm(forms.Form):
    """The every-visit red flags for a client with sciatica or stenosis, asked again today."""

    def __init__(self, *args, conditions: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        kb = load_knowledge()
        self.flag_ids = []
        for condition in conditions:
            for flag in kb.red_flags_for(condition, every_visit=True):
                if flag.id not in self.flag_ids:
                    self.flag_ids.append(flag.id)
                    self.fields[f"rf_{flag.id}"] = red_flag_field(flag)

    def red_flags(self) -> dict[str, bool]:
        return {flag: self.cleaned_data[f"rf_{flag}"] == "yes" for flag in self.flag_ids}


class ClearanceForm(forms.ModelForm):
    finding_ids = forms.MultipleChoiceField(
        label="What the physician cleared",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Tick at least one finding the physician cleared."},
    )

    class Meta:
        model = Clearance
        fields = ["finding_ids", "physician_name", "cleared_on", "note"]
        widgets = {"cleared_on": DATE, "note": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "physician_name": {"required": "Enter the name of the physician who cleared it."},
            "cleared_on": {
                "required": "Enter the date of the clearance.",
                "invalid": "Enter the date, for example 2026-01-31.",
            },
        }

    def __init__(self, *args, findings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["finding_ids"].choices = [(f.id, f"{f.name} ({f.tier})") for f in findings]

    def clean_cleared_on(self):
        return past_date(self.cleaned_data["cleared_on"], "the clearance date")


class ReferralForm(forms.Form):
    finding = forms.ChoiceField(
        label="The finding to refer",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the finding the letter is about."},
    )
    note = forms.CharField(
        label="Anything to add for the physician",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, findings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["finding"].choices = [(f.id, f"{f.name} ({f.tier})") for f in findings]


class ReferralSentForm(forms.ModelForm):
    class Meta:
        model = Referral
        fields = ["sent_at", "method"]
        widgets = {"sent_at": forms.DateTimeInput(attrs={"type": "datetime-local"})}
        labels = {"sent_at": "When was it sent?", "method": "How was it sent?"}
        error_messages = {
            "sent_at": {"invalid": "Enter the date and time, for example 2026-01-31 14:30."}
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sent_at"].required = True
        self.fields["sent_at"].error_messages["required"] = "Enter when the letter was sent."
        self.fields["method"].required = True
        self.fields["method"].error_messages["required"] = "Choose how the letter was sent."
        self.fields["method"].choices = SendMethod.choices

    def clean_sent_at(self):
        return past_moment(self.cleaned_data["sent_at"], "the time sent")


class TreatmentItemForm(forms.Form):
    technique = forms.ChoiceField(label="Technique", required=False)
    region = forms.ChoiceField(label="Body area", required=False)
    pressure = forms.TypedChoiceField(label="Pressure", coerce=int, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kb = load_knowledge()
        blank = [("", "—")]
        self.fields["technique"].choices = blank + _choices(kb.techniques)
        names = {r.id: r.name for r in kb.body_regions.values()}
        self.fields["region"].choices = blank + [(r, names[r]) for r in drawn_regions()]
        levels = sorted(kb.pressure_levels.values(), key=lambda p: p.level)
        self.fields["pressure"].choices = blank + [
            (p.level, f"{p.level}: {p.name}") for p in levels
        ]

    def clean(self):
        cleaned = super().clean()
        given = [
            cleaned.get(name) not in (None, "") for name in ("technique", "region", "pressure")
        ]
        if any(given) and not all(given):
            raise forms.ValidationError("Choose a technique, a body area and a pressure, or none.")
        return cleaned

    def item(self) -> dict | None:
        if not self.cleaned_data.get("technique"):
            return None
        return {key: self.cleaned_data[key] for key in ("technique", "region", "pressure")}


TreatmentFormSet = forms.formset_factory(TreatmentItemForm, extra=3, max_num=10)


class OverrideReasonForm(forms.Form):
    override_reason = forms.CharField(
        label="Reason to override (only if you go ahead despite a finding)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Stored with your name and written to the access log.",
    )
