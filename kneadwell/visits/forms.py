"""The visit note form: SOAP fields, treatment rows, adverse effects, and a safety override."""

from django import forms
from django.http import QueryDict

from kneadwell.core.validators import past_date
from kneadwell.knowledge.loader import load_knowledge
from kneadwell.plans.forms import _pressure_choices, _region_choices, _technique_choices
from kneadwell.screening.bodychart import BodyChartField
from kneadwell.screening.forms import CheckinForm
from kneadwell.visits.models import Visit

# The longest session a note can record, in minutes.
MAX_MINUTES = 300


def _adverse_choices():
    """Side-effect types from the knowledge base (FACTS.md §6.3)."""
    return [("", "—"), *((t.id, t.name) for t in load_knowledge().adverse_effect_types.values())]


class VisitForm(forms.ModelForm):
    pain_regions = BodyChartField(label="Where it hurts")
    treated_regions = BodyChartField(label="Areas treated")
    nprs = forms.TypedChoiceField(
        label="Pain now (0 = none, 10 = worst imaginable)",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[(n, str(n)) for n in range(11)],
        widget=forms.RadioSelect(attrs={"class": "scale"}),
    )
    override_reason = forms.CharField(
        label="Reason to go ahead despite the safety finding",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Only if you have a good clinical reason; it is logged and shown to the owner.",
    )

    class Meta:
        model = Visit
        fields = [
            "visit_date",
            "start_time",
            "duration_minutes",
            "nprs",
            "client_report",
            "changes_since_last",
            "objective",
            "pain_regions",
            "treated_regions",
            "assessment",
            "plan_text",
            "home_advice",
        ]
        widgets = {
            "visit_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "start_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "client_report": forms.Textarea(attrs={"rows": 3}),
            "changes_since_last": forms.Textarea(attrs={"rows": 2}),
            "objective": forms.Textarea(attrs={"rows": 3}),
            "assessment": forms.Textarea(attrs={"rows": 2}),
            "plan_text": forms.Textarea(attrs={"rows": 2}),
            "home_advice": forms.Textarea(attrs={"rows": 2}),
        }
        error_messages = {
            "visit_date": {"invalid": "Enter the date, for example 2026-11-23."},
            "start_time": {"invalid": "Enter the time, for example 14:30."},
            "duration_minutes": {"invalid": "Enter the length in whole minutes."},
        }

    def clean_visit_date(self):
        return past_date(
            self.cleaned_data["visit_date"], "the visit date", born=self.instance.client.birth_date
        )

    def clean_duration_minutes(self):
        minutes = self.cleaned_data["duration_minutes"]
        if minutes is not None and not 1 <= minutes <= MAX_MINUTES:
            raise forms.ValidationError(
                f"Enter the session length in minutes, from 1 to {MAX_MINUTES}."
            )
        return minutes


class TreatmentRowForm(forms.Form):
    technique = forms.ChoiceField(label="Technique", required=False)
    region = forms.ChoiceField(label="Region", required=False)
    pressure = forms.TypedChoiceField(
        label="Pressure", required=False, coerce=int, empty_value=None
    )
    minutes = forms.IntegerField(label="Minutes", required=False, min_value=1, max_value=180)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["technique"].choices = [("", "—"), *_technique_choices()]
        self.fields["region"].choices = [("", "—"), *_region_choices()]
        self.fields["pressure"].choices = [("", "—"), *_pressure_choices()]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("technique"):
            if not cleaned.get("region"):
                self.add_error("region", "Choose the region this technique was used on.")
            if cleaned.get("pressure") is None:
                self.add_error("pressure", "Choose the pressure level (1 to 5).")
            technique = load_knowledge().techniques[cleaned["technique"]]
            pressure = cleaned.get("pressure")
            if pressure and not technique.pressure_min <= pressure <= technique.pressure_max:
                self.add_error(
                    "pressure",
                    f"{technique.name} is used at pressure {technique.pressure_min}"
                    f"–{technique.pressure_max}.",
                )
        elif any(cleaned.get(f) for f in ("region", "pressure", "minutes")):
            self.add_error("technique", "Choose the technique for this row, or clear the row.")
        return cleaned


class AdverseEffectForm(forms.Form):
    kind = forms.ChoiceField(label="Type", choices=_adverse_choices, required=False)
    onset_hours = forms.IntegerField(
        label="Began (hours after the visit)", required=False, min_value=0, max_value=720
    )
    duration_hours = forms.IntegerField(
        label="Lasted (hours)", required=False, min_value=0, max_value=2000
    )
    severity = forms.IntegerField(label="How bad (0–10)", required=False, min_value=0, max_value=10)
    action = forms.CharField(label="Action taken", required=False, max_length=300)

    def clean(self):
        cleaned = super().clean()
        filled = any(cleaned.get(f) not in (None, "") for f in self.fields if f != "kind")
        if filled and not cleaned.get("kind"):
            self.add_error("kind", "Choose the type of effect, or clear the row.")
        return cleaned


TreatmentFormSet = forms.formset_factory(
    TreatmentRowForm, extra=0, min_num=4, max_num=20, validate_max=True
)
AdverseFormSet = forms.formset_factory(
    AdverseEffectForm, extra=0, min_num=1, max_num=10, validate_max=True
)


class AddendumForm(forms.Form):
    text = forms.CharField(
        label="Addendum",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Write the correction or addition."},
    )


def rows(formset) -> list[dict]:
    """The filled rows of a valid formset, as plain dicts."""
    return [
        {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
        for form in formset.forms
        if form.cleaned_data and any(v not in (None, "") for v in form.cleaned_data.values())
    ]


def _querydict(values: dict) -> QueryDict:
    data = QueryDict(mutable=True)
    for key, items in values.items():
        data.setlist(key, items)
    return data


class NoteForms:
    """Everything a visit note asks, together: the SOAP fields, treatment rows, side effects,
    and, for a client whose condition needs it (`conditions`), today's red-flag check-in.

    Bound to what was posted, or else to the raw draft the note was left with. The check-in is
    checked when signing or once any of its questions is answered; before that a draft can be
    saved without it.
    """

    def __init__(self, visit, data=None, *, conditions: list[str]):
        posted = data is not None
        if not posted and visit.draft_data:
            data = _querydict(visit.draft_data)
        self.form = VisitForm(data, instance=visit)
        self.treatment = TreatmentFormSet(data, prefix="t", initial=visit.treatment or None)
        self.adverse = AdverseFormSet(data, prefix="ae", initial=visit.adverse_effects or None)
        self.checkin = None
        if conditions:
            if posted:
                self.checkin = CheckinForm(data, conditions=conditions)
            else:  # shown, not checked: a fresh note has no answers yet
                self.checkin = CheckinForm(conditions=conditions)
                answers = visit.checkin.answers.get("red_flags", {}) if visit.checkin else {}
                for flag in self.checkin.flag_ids:
                    name = f"rf_{flag}"
                    if data is not None and data.get(name):
                        self.checkin.initial[name] = data[name]
                    elif flag in answers:
                        self.checkin.initial[name] = "yes" if answers[flag] else "no"

    def checkin_asked(self, *, signing: bool) -> bool:
        """Whether the check-in is to be checked now."""
        if self.checkin is None or not self.checkin.is_bound:
            return False
        return signing or any(self.checkin.data.get(f"rf_{f}") for f in self.checkin.flag_ids)

    def checkin_answers(self, *, signing: bool) -> dict[str, bool] | None:
        """Today's answers by red-flag id when all are given and asked for now, else None."""
        if self.checkin_asked(signing=signing) and self.checkin.is_valid():
            return self.checkin.red_flags()
        return None

    def is_valid(self, *, signing: bool) -> bool:
        valid = self.form.is_valid() & self.treatment.is_valid() & self.adverse.is_valid()
        if self.checkin_asked(signing=signing):
            valid &= self.checkin.is_valid()
        return valid

    def treatment_rows(self) -> list[dict]:
        return rows(self.treatment)

    def adverse_rows(self) -> list[dict]:
        return rows(self.adverse)
