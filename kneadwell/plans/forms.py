"""Plan forms: choosing the condition, then editing the plan values with safety checks."""

from django import forms

from kneadwell.knowledge.instruments.registry import load_instruments
from kneadwell.knowledge.loader import load_knowledge
from kneadwell.plans.build import Restrictions, violations
from kneadwell.screening.bodychart import BodyChartField

COMBINE_KINDS = [
    ("exercise", "Exercise"),
    ("self_management", "Self-management"),
    ("physician", "The client's physician"),
    ("psychological", "Psychological support"),
    ("education", "Education"),
]


def _technique_choices():
    return [(t.id, t.name) for t in load_knowledge().techniques.values()]


def _region_choices():
    knowledge = load_knowledge()
    parents = {r.parent for r in knowledge.body_regions.values() if r.parent}
    return [(r.id, r.name) for r in knowledge.body_regions.values() if r.id not in parents]


def _pressure_choices():
    levels = sorted(load_knowledge().pressure_levels.values(), key=lambda p: p.level)
    return [(p.level, f"{p.level} · {p.name}") for p in levels]


def _instrument_choices():
    return [(i.id, i.name) for i in load_instruments().values()]


class ConditionForm(forms.Form):
    condition = forms.ChoiceField(
        label="Which condition is this plan for?",
        help_text="The plan starts from this condition's evidence-graded template.",
    )

    def __init__(self, *args, suggested=(), **kwargs):
        super().__init__(*args, **kwargs)
        conditions = load_knowledge().conditions.values()
        self.fields["condition"].choices = [(c.id, c.name) for c in conditions]
        if suggested:
            self.fields["condition"].initial = suggested[0]


class PlanForm(forms.Form):
    goals = forms.CharField(
        label="Goals",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One goal per line, in the client's words where you can.",
    )
    psfs_goals = forms.MultipleChoiceField(
        label="Goals from the client's PSFS activities",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    techniques = forms.MultipleChoiceField(
        label="Techniques", widget=forms.CheckboxSelectMultiple, choices=_technique_choices
    )
    focus_regions = BodyChartField(label="Regions to work on")
    max_pressure = forms.TypedChoiceField(
        label="Highest pressure", coerce=int, choices=_pressure_choices
    )
    session_minutes = forms.IntegerField(
        label="Session length (minutes)", min_value=10, max_value=180, required=False
    )
    sessions_per_week = forms.IntegerField(
        label="Sessions per week", min_value=1, max_value=7, required=False
    )
    planned_sessions = forms.IntegerField(
        label="Planned number of sessions", min_value=1, max_value=100, required=False
    )
    reassess_after_visits = forms.IntegerField(
        label="Reassess after this many visits", min_value=1, max_value=52, required=False
    )
    reassess_after_weeks = forms.IntegerField(
        label="…or after this many weeks", min_value=1, max_value=52, required=False
    )
    combine_with = forms.MultipleChoiceField(
        label="Massage is combined with",
        choices=COMBINE_KINDS,
        widget=forms.CheckboxSelectMultiple,
        help_text="Massage works best inside a coordinated plan.",
    )
    measures_baseline = forms.MultipleChoiceField(
        label="Measures at baseline",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=_instrument_choices,
    )
    measures_every_visit = forms.MultipleChoiceField(
        label="Measures at every visit",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=_instrument_choices,
    )
    measures_periodic = forms.MultipleChoiceField(
        label="Measures at each reassessment",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=_instrument_choices,
    )
    positioning = forms.CharField(
        label="Positioning", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    change_note = forms.CharField(
        label="What changed, and why?",
        max_length=300,
        required=False,
        help_text="Kept with the new version in the plan's history.",
    )

    error_messages = {
        "techniques": "Choose at least one technique.",
        "combine_with": "Choose what massage is combined with (at least one).",
    }

    def __init__(
        self, *args, restrictions: Restrictions, psfs_activities=(), editing=False, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.restrictions = restrictions
        self.fields["psfs_goals"].choices = [(a, a) for a in psfs_activities]
        if not psfs_activities:
            del self.fields["psfs_goals"]
        for name, message in self.error_messages.items():
            self.fields[name].error_messages["required"] = message
        if editing:
            self.fields["change_note"].required = True
            self.fields["change_note"].error_messages["required"] = (
                "Say briefly what changed and why; it goes into the plan's history."
            )
        else:
            del self.fields["change_note"]

    def clean(self):
        cleaned = super().clean()
        for field, message in violations(cleaned, self.restrictions, load_knowledge()).items():
            if field in self.fields and field not in self.errors:
                self.add_error(field, message)
        return cleaned

    def version_values(self) -> dict:
        data = self.cleaned_data
        goals = [{"text": line.strip(), "psfs_activity": ""} for line in data["goals"].splitlines()]
        goals = [g for g in goals if g["text"]]
        goals += [{"text": a, "psfs_activity": a} for a in data.get("psfs_goals", [])]
        return {
            "goals": goals,
            "techniques": data["techniques"],
            "focus_regions": data["focus_regions"],
            "max_pressure": data["max_pressure"],
            "session_minutes": data["session_minutes"],
            "sessions_per_week": data["sessions_per_week"],
            "planned_sessions": data["planned_sessions"],
            "reassess_after_visits": data["reassess_after_visits"],
            "reassess_after_weeks": data["reassess_after_weeks"],
            "combine_with": [{"kind": k, "note": ""} for k in data["combine_with"]],
            "measures": {
                "baseline": data["measures_baseline"],
                "every_visit": data["measures_every_visit"],
                "periodic": data["measures_periodic"],
            },
            "positioning": data["positioning"],
            "notes": data["notes"],
            "change_note": data.get("change_note", ""),
        }


def initial_from_version(version) -> dict:
    """Form initial values from a stored version (for editing)."""
    return {
        "goals": "\n".join(g["text"] for g in version.goals if not g.get("psfs_activity")),
        "psfs_goals": [g["psfs_activity"] for g in version.goals if g.get("psfs_activity")],
        "techniques": version.techniques,
        "focus_regions": version.focus_regions,
        "max_pressure": version.max_pressure,
        "session_minutes": version.session_minutes,
        "sessions_per_week": version.sessions_per_week,
        "planned_sessions": version.planned_sessions,
        "reassess_after_visits": version.reassess_after_visits,
        "reassess_after_weeks": version.reassess_after_weeks,
        "combine_with": [c["kind"] for c in version.combine_with],
        "measures_baseline": version.measures.get("baseline", []),
        "measures_every_visit": version.measures.get("every_visit", []),
        "measures_periodic": version.measures.get("periodic", []),
        "positioning": version.positioning,
        "notes": version.notes,
    }


def initial_from_draft(draft) -> dict:
    """Form initial values from a template draft (for a new plan)."""
    return {
        "goals": "",
        "techniques": draft.techniques,
        "max_pressure": draft.max_pressure,
        "session_minutes": draft.session_minutes,
        "sessions_per_week": draft.sessions_per_week,
        "planned_sessions": draft.planned_sessions,
        "reassess_after_visits": draft.reassess_after_visits,
        "reassess_after_weeks": draft.reassess_after_weeks,
        "combine_with": [c["kind"] for c in draft.combine_with],
        "measures_baseline": draft.measures["baseline"],
        "measures_every_visit": draft.measures["every_visit"],
        "measures_periodic": draft.measures["periodic"],
        "positioning": "\n".join(draft.positioning),
    }
