"""Library forms: search, the evidence filter, and a clinic's adjustment to a safety rule."""

from django import forms

from kneadwell.accounts.models import Membership
from kneadwell.knowledge.adjust import has_pregnancy_week, has_pressure_cap
from kneadwell.knowledge.library import label, pressure_scale
from kneadwell.knowledge.loader import load_knowledge
from kneadwell.knowledge.models import RuleAdjustment, Tier
from kneadwell.knowledge.schema import ContraindicationRule

GENERAL = "general"  # the evidence filter's value for statements not tied to one condition


class LibrarySearchForm(forms.Form):
    q = forms.CharField(
        label="Search the library",
        required=False,
        max_length=100,
        help_text="A condition, technique, medicine, symptom or claim, e.g. “anticoagulant”.",
        widget=forms.TextInput(attrs={"type": "search"}),
    )


class EvidenceFilterForm(forms.Form):
    condition = forms.ChoiceField(label="Condition", required=False)
    kind = forms.ChoiceField(
        label="Show",
        required=False,
        choices=[
            ("", "Evidence and popular claims"),
            ("evidence", "Evidence statements only"),
            ("claim", "Popular claims only"),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        conditions = [(c.id, c.name) for c in load_knowledge().conditions.values()]
        self.fields["condition"].choices = [
            ("", "All conditions"),
            *conditions,
            (GENERAL, "General statements (no single condition)"),
        ]
        self.fields["condition"].error_messages["invalid_choice"] = (
            "That condition is not in the library; showing everything."
        )
        self.fields["kind"].error_messages["invalid_choice"] = (
            "Choose evidence statements, popular claims or both."
        )


class RuleAdjustmentForm(forms.ModelForm):
    """An owner's change to one rule for their clinic. Values equal to the default are dropped."""

    max_pressure = forms.TypedChoiceField(
        label="Maximum pressure", required=False, coerce=int, empty_value=None
    )

    class Meta:
        model = RuleAdjustment
        fields = ["enabled", "tier", "max_pressure", "from_week", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "note": {
                "required": "Say why your clinic changes this rule, so colleagues and reviewers "
                "understand it."
            },
            "from_week": {
                "invalid": "Enter the week as a whole number, for example 20.",
                "min_value": "Enter a week from 1 to 45.",
                "max_value": "Enter a week from 1 to 45.",
            },
        }

    def __init__(self, *args, rule: ContraindicationRule, membership: Membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.rule = rule
        self.instance.clinic_id = membership.clinic_id
        self.instance.rule_id = rule.id
        self.instance.changed_by = membership.user
        tiers = load_knowledge().tiers
        self.fields["tier"].choices = [
            ("", f"Keep the built-in urgency ({label(rule.tier).lower()})"),
            *((value, f"{tiers[value].name}: {tiers[value].meaning}") for value in Tier.values),
        ]
        self.fields["tier"].error_messages["invalid_choice"] = "Choose one of the urgencies listed."
        if has_pressure_cap(rule):
            self._set_pressure_choices()
        else:
            del self.fields["max_pressure"]
        if has_pregnancy_week(rule):
            field = self.fields["from_week"]
            field.help_text = (
                f"The built-in rule starts at week {rule.trigger.from_week} (FACTS: about 20; "
                "a policy number, not a fact). Leave empty to keep it."
            )
        else:
            del self.fields["from_week"]

    def _set_pressure_choices(self) -> None:
        caps = sorted({e.max_pressure for e in self.rule.effects if e.kind == "cap_pressure"})
        built_in = " and ".join(f"level {cap}" for cap in caps)
        field = self.fields["max_pressure"]
        field.choices = [
            ("", f"Keep the built-in cap ({built_in})"),
            *(
                (level.level, f"{level.level}: {level.name}")
                for level in pressure_scale(load_knowledge())
            ),
        ]
        field.help_text = "The highest pressure allowed wherever this rule caps pressure."
        field.error_messages["invalid_choice"] = "Choose a pressure level from 1 to 5."

    def clean_max_pressure(self):
        level = self.cleaned_data["max_pressure"]
        caps = {e.max_pressure for e in self.rule.effects if e.kind == "cap_pressure"}
        return None if caps == {level} else level

    def clean_from_week(self):
        week = self.cleaned_data.get("from_week")
        return None if week == self.rule.trigger.from_week else week

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("tier") == self.rule.tier:
            cleaned["tier"] = ""
        if self.rule.tier == Tier.EMERGENCY:
            self._keep_emergency(cleaned)
        if self.rule.defers and not cleaned.get("enabled", True):
            self.add_error(
                "enabled",
                "This rule defers the whole session (a systemic contraindication); keep it on.",
            )
        unchanged = (
            cleaned.get("enabled", True)
            and not cleaned.get("tier")
            and cleaned.get("max_pressure") is None
            and cleaned.get("from_week") is None
        )
        if unchanged and not self.errors:
            raise forms.ValidationError(
                "This is the same as the built-in rule. Change the urgency"
                + (", the pressure cap" if "max_pressure" in self.fields else "")
                + (", the pregnancy week" if "from_week" in self.fields else "")
                + " or switch the rule off, or revert to the built-in rule."
            )
        return cleaned

    def _keep_emergency(self, cleaned: dict) -> None:
        # An emergency finding sends the client to emergency care; a clinic may not weaken it.
        if not cleaned.get("enabled", True):
            self.add_error(
                "enabled", "Emergency rules send the client to emergency care; keep this rule on."
            )
        if cleaned.get("tier"):  # any other tier is less urgent
            self.add_error("tier", "An emergency rule cannot be made less urgent.")
