"""The shape of every entry in the clinical knowledge base (the YAML files in ``data/``).

Each model validates one entry on its own; ``loader.py`` checks that the ids an entry refers to
exist. ``references()`` on a model lists those ids, so the loader can check them generically.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

# Special reference values that are not ids of entries.
ALL_CONDITIONS = "all"
AFFECTED_REGION = "affected"  # the area recorded with the trigger, e.g. the limb with the DVT

Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:[_-][a-z0-9]+)*$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
PressureLevelNumber = Annotated[int, Field(ge=1, le=5)]

Certainty = Literal["high", "moderate", "low", "very_low"]
# FACTS.md tags: ✔ checked against a source, K well known but not re-checked, U unconfirmed.
Verification = Literal["checked", "known", "unconfirmed"]
RedFlagTier = Literal["emergency", "urgent", "soon"]
RuleTier = Literal["emergency", "urgent", "soon", "caution"]
Direction = Literal["supports", "insufficient", "against", "not_supported"]
ClaimGrade = Literal["supported", "weak", "not_supported"]
Basis = Literal[
    "guideline",
    "systematic_review",
    "trial",
    "expert_consensus",
    "case_reports",
    "proposed_convention",
]

Reference = tuple[str, str, str]  # (field path, table, id)

_ICD10CM = re.compile(r"^[A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{1,4})?$")


class Entry(BaseModel):
    """Base for every entry: a stable id, no unknown fields, immutable once loaded."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Id

    def references(self) -> Iterator[Reference]:
        """Yield (field path, table, id) for every id this entry refers to."""
        return iter(())


class Part(BaseModel):
    """Base for nested values inside an entry."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Sourced(Entry):
    """An entry that states clinical facts: it names its sources and its FACTS.md tag.

    ``facts`` says which line of FACTS.md the entry follows (e.g. "§4, URGENT: suspected spinal
    malignancy"), so a reviewer can check it against the fact sheet.
    """

    sources: Annotated[list[Id], Field(min_length=1)]
    verification: Verification
    facts: str = ""
    note: str = ""

    def references(self) -> Iterator[Reference]:
        for index, source in enumerate(self.sources):
            yield f"sources[{index}]", "sources", source


# --- Sources and vocabularies ------------------------------------------------------------------


class Source(Entry):
    """A publication, guideline or web page that a fact comes from."""

    citation: Text
    year: Annotated[int, Field(ge=1900, le=2100)] | None = None
    url: str | None = None
    note: str = ""


class VocabularyItem(Entry):
    """A named thing a rule can be triggered by: a medication class, history item or finding.

    ``checkin_question``: asked (yes or no) at every visit check-in, so a new check-in can
    lift what it triggers, such as a fever today (FACTS §5: systemic deferrals).
    """

    name: Text
    description: Text
    checkin_question: str = ""
    client_question: str = ""  # the check-in question as the client portal asks the client


class InvalidCode(Entry):
    """An ICD-10-CM code that must not be used (retired, or a non-billable header)."""

    code: Text
    reason: Text
    sources: Annotated[list[Id], Field(min_length=1)]
    verification: Verification

    def references(self) -> Iterator[Reference]:
        for index, source in enumerate(self.sources):
            yield f"sources[{index}]", "sources", source


class PressureLevel(Entry):
    """One step of the five-level pressure scale (after the Walton Pressure Scale)."""

    level: PressureLevelNumber
    name: Text
    description: Text
    sources: Annotated[list[Id], Field(min_length=1)]
    verification: Verification

    def references(self) -> Iterator[Reference]:
        for index, source in enumerate(self.sources):
            yield f"sources[{index}]", "sources", source


class BodyRegion(Entry):
    """An area of the body chart that rules and visit notes can name."""

    name: Text
    view: Literal["front", "back", "both"]
    parent: Id | None = None
    border: Text
    note: str = ""

    def references(self) -> Iterator[Reference]:
        if self.parent is not None:
            yield "parent", "body_regions", self.parent


class ClientWording(Part):
    """How client text must word a warning of this urgency (handouts' urgent-care paragraphs)."""

    must_include_any: Annotated[list[Text], Field(min_length=1)]
    must_not_include: list[Text] = []


class UrgencyTier(Sourced):
    """What a finding of this urgency does (FACTS §4): whether it stops the session, and how
    soon the physician must hear of it. Screening, the chart and the library read this."""

    id: Literal["emergency", "urgent", "soon", "caution"]
    name: Text
    banner: Text  # the heading the chart banner shows for findings of this tier
    meaning: Text
    blocks_treatment: bool  # the whole session, until a clearance or a new screening
    referral_due_days: Annotated[int, Field(ge=0)] | None  # None: no referral task
    referral_action: str = ""
    client_wording: ClientWording | None = None
    # What the client portal tells a client at once when an answer raises a finding of this
    # tier, in plain words (worded as client_wording says).
    client_advice: str = ""
    basis: Basis
    facts: Text


# --- Conditions ----------------------------------------------------------------------------------


class IcdCode(Part):
    code: Text
    display: Text
    verification: Verification
    billable: bool = True
    default: bool = True  # False: only when the record supports it (e.g. vertebrogenic pain)
    note: str = ""

    @model_validator(mode="after")
    def _code_looks_like_icd10cm(self) -> IcdCode:
        if not _ICD10CM.match(self.code):
            raise ValueError(f"'{self.code}' is not written like an ICD-10-CM code (e.g. M54.50)")
        return self


class Measures(Part):
    """Which instruments to take, and when (FACTS §6.2)."""

    baseline: list[Id]
    every_visit: list[Id]
    periodic: list[Id]
    end_of_course: list[Id] = []


class Condition(Sourced):
    name: Text
    icd10cm: Annotated[list[IcdCode], Field(min_length=1)]
    description: Text
    typical_symptoms: Annotated[list[Text], Field(min_length=1)]
    measures: Measures
    rescreen_every_visit: bool

    def references(self) -> Iterator[Reference]:
        yield from super().references()
        for when in ("baseline", "every_visit", "periodic", "end_of_course"):
            for index, instrument in enumerate(getattr(self.measures, when)):
                yield f"measures.{when}[{index}]", "instruments", instrument


# --- Techniques ----------------------------------------------------------------------------------


class Technique(Sourced):
    name: Text
    description: Text
    pressure_min: PressureLevelNumber
    pressure_max: PressureLevelNumber
    limits: Text

    @model_validator(mode="after")
    def _pressure_range_is_ordered(self) -> Technique:
        if self.pressure_min > self.pressure_max:
            raise ValueError("pressure_min is higher than pressure_max")
        return self


# --- Evidence statements and popular claims ------------------------------------------------------


class EvidenceStatement(Sourced):
    """What the evidence says about an intervention for a condition, or about a popular claim."""

    kind: Literal["evidence", "claim"]
    condition: Id | None  # None: a general statement, not tied to one condition
    intervention: Id  # a technique id or an intervention from vocabulary.yaml
    outcome: Text
    direction: Direction
    certainty: Certainty | None  # None only where the source gives no grade; say why in note
    certainty_to: Certainty | None = None  # a range as FACTS grades it, e.g. low to very_low
    grade: ClaimGrade | None = None  # claims only: the grade FACTS.md §2 gives
    keywords: list[Text] = []  # claims only: words that would assert the claim in client text
    # claims only: regular expressions that assert the claim, matched within one sentence
    patterns: list[Text] = []
    time_frame: Text
    summary_therapist: Text
    summary_client: Text
    myth_busting: bool = False  # summary_client argues against a claim; allowed to name it

    @model_validator(mode="after")
    def _claims_and_evidence_are_complete(self) -> EvidenceStatement:
        if self.kind == "claim":
            if self.grade is None:
                raise ValueError("a claim needs a grade (supported, weak or not_supported)")
            if not self.keywords and not self.patterns:
                raise ValueError("a claim needs keywords or patterns so client text can be checked")
            for pattern in self.patterns:
                try:
                    re.compile(pattern)
                except re.error as error:
                    raise ValueError(
                        f"pattern {pattern!r} is not a valid expression: {error}"
                    ) from None
            if self.grade != "supported" and not self.myth_busting:
                raise ValueError(
                    "summary_client of a claim that is not supported must be myth_busting"
                )
        elif self.grade is not None or self.keywords or self.patterns:
            raise ValueError("grade, keywords and patterns are for claims only")
        if self.certainty is None and not self.note:
            raise ValueError("say in note why there is no certainty")
        if self.certainty_to is not None and self.certainty is None:
            raise ValueError("certainty_to needs a certainty to start the range")
        return self

    def references(self) -> Iterator[Reference]:
        yield from super().references()
        if self.condition is not None:
            yield "condition", "conditions", self.condition
        yield "intervention", "interventions", self.intervention


# --- Contraindication and caution rules ----------------------------------------------------------

TRIGGER_TABLES = {
    "condition": "conditions",
    "medication_class": "medication_classes",
    "history": "history_items",
    "finding": "findings",
    "answer": "red_flags",  # a 'yes' to that red-flag question
    "region_treated": "body_regions",  # applies whenever this region is worked on
    "pain_area": "body_regions",  # the region (or one inside it) is marked as painful
    "pregnancy_week": "history_items",  # value "pregnancy"; fires from trigger.from_week
}

CueKind = Literal[
    "condition", "medication_class", "history", "finding", "answer", "pain_area", "age_over"
]


class Cue(Part):
    """One thing in the record that shows a feature: a condition, a medicine, a history item,
    a finding, a yes to a red flag, a painful area, or an age over ``value`` years (taken from
    the birth date, never asked)."""

    kind: CueKind
    value: Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:[_-][a-z0-9]+)*$")]

    @model_validator(mode="after")
    def _age_is_a_number(self) -> Cue:
        if self.kind == "age_over" and not self.value.isdigit():
            raise ValueError("an age_over cue takes a whole number of years, e.g. '50'")
        return self


class Feature(Part):
    """A feature of a combination rule; present when any of its cues is."""

    id: Id
    label: Text
    any_of: Annotated[list[Cue], Field(min_length=1)]


class Trigger(Part):
    """What makes a rule fire.

    ``combination`` (FACTS §4: single flags have poor accuracy; combinations matter): fires when
    at least ``at_least`` of ``features`` are present, including every feature named in
    ``must_include``. ``pregnancy_week``: fires from week ``from_week`` (clinic policy).
    """

    kind: Literal[
        "condition",
        "medication_class",
        "history",
        "finding",
        "answer",
        "region_treated",
        "pregnancy_week",
        "combination",
    ]
    value: Id
    from_week: Annotated[int, Field(ge=1, le=45)] | None = None
    at_least: Annotated[int, Field(ge=1)] | None = None
    features: list[Feature] = []
    must_include: list[Id] = []

    @model_validator(mode="after")
    def _fields_fit_the_kind(self) -> Trigger:
        if self.kind == "pregnancy_week":
            if self.from_week is None:
                raise ValueError("a pregnancy_week trigger needs from_week")
        elif self.from_week is not None:
            raise ValueError("only a pregnancy_week trigger takes from_week")
        if self.kind == "combination":
            if self.at_least is None or not self.features:
                raise ValueError("a combination trigger needs at_least and features")
            if self.at_least > len(self.features):
                raise ValueError("at_least is more than the number of features")
            ids = [feature.id for feature in self.features]
            if len(set(ids)) != len(ids):
                raise ValueError("feature ids must be unique")
            unknown = [i for i in self.must_include if i not in ids]
            if unknown:
                raise ValueError(f"must_include names unknown features: {', '.join(unknown)}")
        elif self.at_least is not None or self.features or self.must_include:
            raise ValueError("only a combination trigger takes at_least, features, must_include")
        return self


EffectKind = Literal[
    "defer",
    "avoid_region",
    "cap_pressure",
    "avoid_technique",
    "avoid_position",
    "positioning",
    "advice",
]


class Effect(Part):
    """One change to the session. Which fields it needs depends on kind.

    ``defer`` is a systemic deferral (FACTS §5 "Systemic: defer"): the whole session stops, and
    only a physician's clearance or a new screening without the trigger lifts it, never a typed
    reason. ``until_cleared``: a physician's clearance of the finding also lifts this effect.
    """

    kind: EffectKind
    region: Id | None = None  # a body region id, or "affected"
    technique: Id | None = None
    positions: list[Id] = []  # avoid_position: the client positions to avoid
    max_pressure: PressureLevelNumber | None = None
    advice: str = ""
    until_cleared: bool = False
    verification: Verification | None = None  # when this effect is less certain than the rule

    @model_validator(mode="after")
    def _fields_fit_the_kind(self) -> Effect:
        required, optional = _EFFECT_FIELDS[self.kind]
        for name in required:
            if not getattr(self, name):
                raise ValueError(f"a '{self.kind}' effect needs {name}")
        for name in ("region", "technique", "max_pressure", "positions"):
            value = getattr(self, name)
            if name not in required + optional and value not in (None, []):
                raise ValueError(f"a '{self.kind}' effect does not take {name}")
        return self


# kind: (required fields, optional fields). A region on cap_pressure or avoid_technique limits
# the effect to that region; without one it applies to the whole session.
_EFFECT_FIELDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "defer": (("advice",), ()),
    "avoid_region": (("region",), ("advice",)),
    "cap_pressure": (("max_pressure",), ("region", "advice")),
    "avoid_technique": (("technique",), ("region", "advice")),
    "avoid_position": (("positions",), ("advice",)),
    "positioning": (("advice",), ()),
    "advice": (("advice",), ()),
}


def _effect_references(effects: list[Effect]) -> Iterator[Reference]:
    for index, effect in enumerate(effects):
        if effect.region is not None and effect.region != AFFECTED_REGION:
            yield f"effects[{index}].region", "body_regions", effect.region
        if effect.technique is not None:
            yield f"effects[{index}].technique", "techniques", effect.technique
        for number, position in enumerate(effect.positions):
            yield f"effects[{index}].positions[{number}]", "positions", position


class ContraindicationRule(Sourced):
    """When the trigger is present, apply the effects (FACTS §5). Clinics may adjust a rule."""

    name: Text
    trigger: Trigger
    effects: Annotated[list[Effect], Field(min_length=1)]
    tier: RuleTier
    reason: Text
    basis: Basis
    facts: Text

    @property
    def defers(self) -> bool:
        """A systemic deferral: a clinic may not switch the rule off."""
        return any(effect.kind == "defer" for effect in self.effects)

    def references(self) -> Iterator[Reference]:
        yield from super().references()
        if self.trigger.kind != "combination":
            yield "trigger.value", TRIGGER_TABLES[self.trigger.kind], self.trigger.value
        for index, feature in enumerate(self.trigger.features):
            for number, cue in enumerate(feature.any_of):
                if cue.kind != "age_over":
                    path = f"trigger.features[{index}].any_of[{number}].value"
                    yield path, TRIGGER_TABLES[cue.kind], cue.value
        yield from _effect_references(self.effects)


# --- Red flags (after Effect, which they use) ---------------------------------------------------


class RedFlag(Sourced):
    """A screening question whose 'yes' may signal serious disease (FACTS §4).

    ``tier`` is the urgency of what it may signal. A flag with ``on_its_own: false`` has poor
    accuracy alone: a yes raises no finding by itself and counts only in the combination rules
    of rules.yaml. ``effects`` are the restrictions the flag names (FACTS §4 "Action").
    """

    question: Text
    group: Id  # what it may signal, e.g. cauda_equina, malignancy
    tier: RedFlagTier
    action: Text
    basis: Basis
    every_visit: bool
    applies_to: Literal["all"] | Annotated[list[Id], Field(min_length=1)]
    on_its_own: bool = True
    effects: list[Effect] = []
    facts: Text

    def references(self) -> Iterator[Reference]:
        yield from super().references()
        if self.applies_to != ALL_CONDITIONS:
            for index, condition in enumerate(self.applies_to):
                yield f"applies_to[{index}]", "conditions", condition
        yield from _effect_references(self.effects)


# --- Plan templates ------------------------------------------------------------------------------


class Range(Part):
    min: Annotated[int, Field(ge=1)]
    max: Annotated[int, Field(ge=1)]

    @model_validator(mode="after")
    def _is_ordered(self) -> Range:
        if self.min > self.max:
            raise ValueError("min is higher than max")
        return self


class PlannedTechnique(Part):
    technique: Id
    safety_note: Text


class Reassess(Part):
    visits: Range | None = None
    weeks: Range | None = None
    note: str = ""


class CombineWith(Part):
    kind: Literal["exercise", "self_management", "physician", "psychological", "education"]
    note: Text


class NotImproving(Part):
    after_visits: Range | None = None
    after_weeks: Range | None = None
    options: Annotated[list[Literal["change_plan", "refer_physician", "stop"]], Field(min_length=1)]
    note: str = ""


class PlanTemplate(Sourced):
    """A starting plan for one condition. Doses are None where FACTS.md gives no default."""

    condition: Id
    role: Text  # what massage is for in this plan, e.g. "comfort care within a coordinated plan"
    techniques: Annotated[list[PlannedTechnique], Field(min_length=1)]
    session_minutes: Range | None
    sessions_per_week: Range | None
    course_weeks: Range | None
    planned_sessions: Range | None
    reassess_after: Reassess
    combine_with: Annotated[list[CombineWith], Field(min_length=1)]
    discharge_criteria: Annotated[list[Text], Field(min_length=1)]
    not_improving: NotImproving
    convention: bool  # True: FACTS.md calls these defaults proposed conventions, not guidelines
    status: Literal["guideline", "trial_dose", "proposed_convention"]

    def references(self) -> Iterator[Reference]:
        yield from super().references()
        yield "condition", "conditions", self.condition
        for index, planned in enumerate(self.techniques):
            yield f"techniques[{index}].technique", "techniques", planned.technique


# --- Handouts ------------------------------------------------------------------------------------


def _paragraph_from_text(value: object) -> object:
    return {"text": value} if isinstance(value, str) else value


class Paragraph(Part):
    text: Text
    myth_busting: bool = False  # names an unsupported claim in order to correct it
    # urgent_care only: the red flags the paragraph warns about, and so its urgency; ``tier``
    # only where no red flag fits (the loader checks the wording against tiers.yaml)
    red_flags: list[Id] = []
    tier: RedFlagTier | None = None


Paragraphs = Annotated[
    list[Annotated[Paragraph, BeforeValidator(_paragraph_from_text)]], Field(min_length=1)
]


class Handout(Sourced):
    """A plain-language leaflet for clients with one condition (reading age about 12)."""

    condition: Id
    title: Text
    can_do: Paragraphs
    cannot_do: Paragraphs
    what_to_expect: Paragraphs
    urgent_care: Paragraphs
    self_care: Paragraphs

    def references(self) -> Iterator[Reference]:
        yield from super().references()
        yield "condition", "conditions", self.condition
        for field, paragraph in self.paragraphs():
            for index, flag in enumerate(paragraph.red_flags):
                yield f"{field}.red_flags[{index}]", "red_flags", flag

    def paragraphs(self) -> Iterator[tuple[str, Paragraph]]:
        """Yield (field path, paragraph) for every paragraph, in reading order."""
        for section in HANDOUT_SECTIONS:
            for index, paragraph in enumerate(getattr(self, section)):
                yield f"{section}[{index}]", paragraph


HANDOUT_SECTIONS = ("can_do", "cannot_do", "what_to_expect", "urgent_care", "self_care")
