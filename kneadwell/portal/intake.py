"""The intake at home: screening's intake form cut into steps a client fills in on a phone, in
the client's words, saved step by step; and the advice shown at once when an answer raises an
emergency or urgent finding (the tier's client advice and the handouts' urgent-care words)."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.http import QueryDict
from django.utils import timezone

from kneadwell.core.validators import past_date
from kneadwell.knowledge.loader import load_knowledge
from kneadwell.knowledge.schema import ALL_CONDITIONS
from kneadwell.screening import enforce
from kneadwell.screening.forms import DATE, IntakeForm

# Screening's field names per step; the client never sees the therapist's own fields
# (findings seen today, the areas of a history item), which the therapist adds on review.
STEPS: list[tuple[str, str, tuple[str, ...]]] = [
    ("problem", "What brings you in", ("complaint", "onset", "duration", "conditions")),
    ("health", "Health and medicines", ("history", "medication_classes", "medications")),
    ("pregnancy", "Pregnancy", ("pregnancy_week",)),
    ("safety", "Safety questions", ()),  # the red-flag questions, chosen by the conditions
    ("pain", "Where it hurts", ("pain_areas",)),
    ("goals", "Your goals", ("goals",)),
    ("consent", "Consent", ("consent", "signature", "signed_on")),
]
STEP_IDS = [step for step, _, _ in STEPS]
TITLES = {step: title for step, title, _ in STEPS}

# The client's words for screening's fields (which are worded for the therapist).
CLIENT_WORDS: dict[str, tuple[str, str]] = {
    "complaint": ("What brings you in?", "Describe it in your own words."),
    "onset": ("When did it start?", "If you know the date, for example 2026-01-31."),
    "duration": ("How long has it lasted?", "For example 'about 3 months' or 'on and off'."),
    "conditions": ("Has a doctor told you that you have any of these?", ""),
    "history": ("Does any of this apply to you?", "Tick all that apply."),
    "medication_classes": ("Do you take any of these medicines?", "Tick all that apply."),
    "medications": ("Other medicines you take", "Names and doses, if you know them."),
    "pregnancy_week": ("If you are pregnant: which week?", "Leave it empty if you are not."),
    "pain_areas": ("Where is the pain?", "Tap the chart, or tick the areas in the list."),
    "goals": ("What would you like to be able to do again?", "For example, walk the dog."),
    "consent": ("I agree to this health check, and to be treated as my therapist and I agree.", ""),
}
REQUIRED_WORDS = {
    "complaint": "Tell us in a few words what brings you in.",
    "consent": "Tick the box to agree, or talk to your therapist first.",
}
RED_FLAG_REQUIRED = "Answer yes or no. If you are not sure, answer yes and your therapist will ask."


class IntakeStepForm(IntakeForm):
    """One step of screening's IntakeForm, as the client sees it. Checked by IntakeForm's own
    rules (the red-flag questions of the conditions given on the first step included)."""

    signature = forms.CharField(
        label="Type your full name as your signature",
        max_length=200,
        required=False,
    )
    signed_on = forms.DateField(
        label="Today's date",
        required=False,
        widget=DATE,
        error_messages={"invalid": "Enter the date, for example 2026-01-31."},
    )

    def __init__(self, step: str, *args, conditions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.step = step
        self.known_conditions = list(conditions)
        keep = set(dict((s, f) for s, _, f in STEPS)[step])
        if step == "safety":
            keep = set(safety_fields(self.known_conditions))
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        for name, field in self.fields.items():
            if name in CLIENT_WORDS:
                field.label, field.help_text = CLIENT_WORDS[name]
            if name in REQUIRED_WORDS:
                field.error_messages["required"] = REQUIRED_WORDS[name]
            if name.startswith("rf_"):
                field.help_text = ""  # "Ask clients with …" is for the therapist
                field.required = True
                field.error_messages["required"] = RED_FLAG_REQUIRED
        if step == "consent":
            self.fields["signature"].required = True
            self.fields["signature"].error_messages["required"] = "Type your name to sign."
            self.fields["signed_on"].required = True
            self.fields["signed_on"].error_messages["required"] = "Enter today's date."
            self.fields["signed_on"].initial = timezone.localdate()

    def clean_signed_on(self):
        signed = self.cleaned_data["signed_on"]
        return signed and past_date(signed, "the date", born=self.born)

    def clean(self):
        # The conditions' red-flag questions are asked (and required) on the safety step only.
        chosen = self.cleaned_data.pop("conditions", None)
        if self.step == "safety":
            self.cleaned_data["conditions"] = self.known_conditions
        cleaned = super().clean()
        cleaned.pop("conditions", None)
        if chosen is not None:
            cleaned["conditions"] = chosen
        return cleaned

    def is_complete(self) -> bool:
        return self.is_valid()


def safety_fields(conditions) -> list[str]:
    """The red-flag questions for everyone, and those of the client's conditions."""
    chosen = set(conditions)
    return [
        f"rf_{flag.id}"
        for flag in load_knowledge().red_flags.values()
        if flag.applies_to == ALL_CONDITIONS or chosen & set(flag.applies_to)
    ]


def conditions_of(data: dict) -> list[str]:
    known = load_knowledge().conditions
    return [c for c in data.get("problem", {}).get("conditions", []) if c in known]


def merged(data: dict) -> dict[str, list[str]]:
    """Every step's typed values as one set of form data (for IntakeForm)."""
    values: dict[str, list[str]] = {}
    for step in STEP_IDS:
        values.update(data.get(step, {}))
    return values


def as_querydict(values: dict[str, list[str]]) -> QueryDict:
    data = QueryDict(mutable=True)
    for key, items in values.items():
        data.setlist(key, items)
    return data


def step_form(step: str, data: dict, client, posted=None) -> IntakeStepForm:
    """The step's form, bound to what was posted, or else to what was saved for it."""
    saved = data.get(step)
    bound = posted if posted is not None else (as_querydict(saved) if saved else None)
    return IntakeStepForm(step, bound, conditions=conditions_of(data), born=client.birth_date)


def typed(step: str, post) -> dict[str, list[str]]:
    """Exactly what was typed on a step (the CSRF token left out)."""
    return {key: post.getlist(key) for key in post if key != "csrfmiddlewaretoken"}


def full_form(data: dict, client) -> IntakeForm:
    """Screening's whole intake form over every step's answers: what the therapist accepts."""
    return IntakeForm(as_querydict(merged(data)), born=client.birth_date)


# --- Advice at once ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Advice:
    tier: str
    heading: str
    text: str
    details: tuple[str, ...]  # the handouts' urgent-care paragraphs about these answers


def partial_answers(data: dict) -> dict:
    """Stored-style answers from what has been typed so far (unfinished steps included), for a
    first look by the engine; the therapist's acceptance checks everything properly."""
    values = merged(data)
    answers: dict = {
        key: values.get(key, [])
        for key in ("conditions", "history", "medication_classes", "pain_areas")
    }
    answers["red_flags"] = {
        name.removeprefix("rf_"): value[0] == "yes"
        for name, value in values.items()
        if name.startswith("rf_") and value and value[0] in ("yes", "no")
    }
    week = (values.get("pregnancy_week") or [""])[0].strip()
    answers["pregnancy_week"] = int(week) if week.isdigit() and 1 <= int(week) <= 45 else None
    return answers


def advice_for(findings) -> list[Advice]:
    """What to tell the client at once, most urgent first: one piece per tier that has client
    advice (emergency, urgent), with the handouts' paragraphs about the answers given."""
    kb = load_knowledge()
    sources = {f.source for f in findings}
    advice = []
    for tier in kb.tiers.values():
        raised = [f for f in findings if f.tier == tier.id]
        if not raised or not tier.client_advice:
            continue
        details: list[str] = []
        for handout in kb.handouts.values():
            for section, paragraph in handout.paragraphs():
                if section.startswith("urgent_care") and sources & set(paragraph.red_flags):
                    if paragraph.text not in details:
                        details.append(paragraph.text)
        heading = "Get help now" if tier.blocks_treatment else "We will contact you today"
        advice.append(Advice(tier.id, heading, tier.client_advice, tuple(details)))
    return advice


def check_answers(client, data: dict) -> list[Advice]:
    """Run the answers so far through the clinic's screening rules; advice for what they raise."""
    return advice_for(enforce.findings_for(client, partial_answers(data)))
