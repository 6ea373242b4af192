"""The screening engine: answers and the (clinic-adjusted) rules in, findings out; no database.

Red flags and contraindication rules are data in the knowledge base; this module only interprets
them. ``check_treatment`` and ``blocks_treatment`` turn findings into enforcement decisions.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from kneadwell.knowledge.loader import Knowledge
from kneadwell.knowledge.schema import AFFECTED_REGION, ContraindicationRule, Effect, RedFlag

TIERS = ("emergency", "urgent", "soon", "caution")
BLOCKING_TIERS = ("emergency", "urgent")
# The history item a recorded pregnancy week implies, and the week from which the
# "pregnancy_20_weeks" vocabulary item applies (its name and FACTS §5 give about 20 weeks).
PREGNANCY = "pregnancy"
PREGNANCY_LATE = ("pregnancy_20_weeks", 20)


@dataclass(frozen=True)
class ScreeningAnswers:
    """What an intake or check-in recorded, as knowledge-base ids.

    ``areas`` maps a history item or finding id to the body regions recorded with it (the
    "affected" area of a rule). ``red_flags`` maps a red-flag id to the answer (True is yes).
    Rules triggered by a region fire when it is a pain area or a region being treated.
    """

    conditions: frozenset[str] = frozenset()
    medication_classes: frozenset[str] = frozenset()
    history: frozenset[str] = frozenset()
    findings: frozenset[str] = frozenset()
    red_flags: Mapping[str, bool] = field(default_factory=dict)
    areas: Mapping[str, frozenset[str]] = field(default_factory=dict)
    pain_areas: frozenset[str] = frozenset()
    treated_regions: frozenset[str] = frozenset()
    pregnancy_week: int | None = None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ScreeningAnswers:
        """Read the JSON an Intake or Screening stores (unknown keys such as goals are ignored)."""
        return cls(
            conditions=frozenset(data.get("conditions", ())),
            medication_classes=frozenset(data.get("medication_classes", ())),
            history=frozenset(data.get("history", ())),
            findings=frozenset(data.get("findings", ())),
            red_flags={k: bool(v) for k, v in dict(data.get("red_flags", {})).items()},
            areas={k: frozenset(v) for k, v in dict(data.get("areas", {})).items()},
            pain_areas=frozenset(data.get("pain_areas", ())),
            treated_regions=frozenset(data.get("treated_regions", ())),
            pregnancy_week=data.get("pregnancy_week"),
        )

    def all_history(self) -> frozenset[str]:
        """The history items, with those a recorded pregnancy week implies."""
        history = set(self.history)
        if self.pregnancy_week is not None:
            history.add(PREGNANCY)
            item, week = PREGNANCY_LATE
            if self.pregnancy_week >= week:
                history.add(item)
        return frozenset(history)


@dataclass(frozen=True)
class Restriction:
    """One change to the session. ``regions`` None means the whole body or session.

    ``unmarked`` is True when a rule names the affected area but none was recorded, so the
    therapist must find it out before treating; software cannot check it.
    """

    kind: str  # defer | avoid_region | cap_pressure | avoid_technique | positioning | advice
    regions: tuple[str, ...] | None = None
    technique: str | None = None
    max_pressure: int | None = None
    advice: str = ""
    unmarked: bool = False


@dataclass(frozen=True)
class Finding:
    """A red flag answered yes, or a rule whose trigger is present."""

    id: str  # "red_flag:<id>" or "rule:<id>"
    source: str  # the red-flag or rule id
    name: str
    tier: str
    reason: str
    action: str
    restrictions: tuple[Restriction, ...]
    sources: tuple[str, ...]

    @property
    def blocking(self) -> bool:
        return self.tier in BLOCKING_TIERS

    @property
    def defers(self) -> bool:
        return any(r.kind == "defer" for r in self.restrictions)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Finding:
        restrictions = tuple(
            Restriction(**{**r, "regions": None if r["regions"] is None else tuple(r["regions"])})
            for r in data["restrictions"]
        )
        fields = {**data, "restrictions": restrictions, "sources": tuple(data["sources"])}
        return cls(**fields)


@dataclass(frozen=True)
class TreatmentItem:
    """One piece of planned or delivered work: a technique on a region at a pressure level."""

    technique: str
    region: str
    pressure: int


@dataclass(frozen=True)
class Violation:
    """A treatment item (or the whole session) that a finding forbids."""

    finding_id: str
    kind: str  # defer | region | technique | pressure
    message: str
    technique: str = ""
    region: str = ""
    pressure: int | None = None


def evaluate(
    answers: ScreeningAnswers, rules: Mapping[str, ContraindicationRule], knowledge: Knowledge
) -> list[Finding]:
    """Every finding the answers raise, most urgent first (then in knowledge-base order)."""
    findings = [
        _red_flag_finding(flag)
        for flag_id, flag in knowledge.red_flags.items()
        if answers.red_flags.get(flag_id)
    ]
    findings += [
        _rule_finding(rule, answers, knowledge)
        for rule in rules.values()
        if _fires(rule, answers, knowledge)
    ]
    return sorted(findings, key=lambda f: TIERS.index(f.tier))


def check_treatment(
    findings: Iterable[Finding],
    treatment: Iterable[TreatmentItem | Mapping[str, Any]],
    knowledge: Knowledge | None = None,
) -> list[Violation]:
    """What in the treatment the findings forbid. Blocking findings are for blocks_treatment.

    With `knowledge`, the messages name regions and techniques as people say them.
    """
    items = [as_treatment_item(entry) for entry in treatment]
    names = _Names(knowledge)
    violations: list[Violation] = []
    for finding in findings:
        for restriction in finding.restrictions:
            if restriction.kind == "defer" and not finding.blocking:
                message = f"{finding.name}: {restriction.advice}"
                violations.append(Violation(finding.id, "defer", message))
                continue
            for item in items:
                violation = _violates(finding, restriction, item, names)
                if violation is not None:
                    violations.append(violation)
    return violations


def blocking_findings(findings: Iterable[Finding], cleared: Collection[str]) -> list[Finding]:
    """Emergency and urgent findings that no physician's clearance covers.

    ``cleared`` holds finding ids or rule/red-flag ids that a physician has cleared.
    """
    return [f for f in findings if f.blocking and f.id not in cleared and f.source not in cleared]


def blocks_treatment(findings: Iterable[Finding], cleared: Collection[str]) -> bool:
    """True while an emergency or urgent finding stands without a physician's clearance."""
    return bool(blocking_findings(findings, cleared))


# --- helpers -------------------------------------------------------------------------------------


def finding_name(finding_id: str, knowledge: Knowledge) -> str:
    """A finding id ("rule:anticoagulant", "red_flag:ces_bladder") as findings are named."""
    kind, _, source = finding_id.partition(":")
    if kind == "rule" and source in knowledge.rules:
        return knowledge.rules[source].name
    if kind == "red_flag" and source in knowledge.red_flags:
        return _red_flag_name(knowledge.red_flags[source])
    return "a finding no longer in the knowledge base"


def _red_flag_name(flag: RedFlag) -> str:
    return f"Red flag ({flag.group.replace('_', ' ')})"


def _red_flag_finding(flag: RedFlag) -> Finding:
    restriction = Restriction(kind="defer", advice=flag.action)
    return Finding(
        id=f"red_flag:{flag.id}",
        source=flag.id,
        name=_red_flag_name(flag),
        tier=flag.tier,
        reason=f"Answered yes: {flag.question}",
        action=flag.action,
        restrictions=(restriction,),
        sources=tuple(flag.sources),
    )


def _fires(rule: ContraindicationRule, answers: ScreeningAnswers, knowledge: Knowledge) -> bool:
    kind, value = rule.trigger.kind, rule.trigger.value
    if kind == "condition":
        return value in answers.conditions
    if kind == "medication_class":
        return value in answers.medication_classes
    if kind == "history":
        return value in answers.all_history()
    if kind == "finding":
        return value in answers.findings
    if kind == "answer":
        return bool(answers.red_flags.get(value))
    if kind == "region_treated":
        worked = answers.pain_areas | answers.treated_regions
        return bool(worked & knowledge.region_and_descendants(value))
    raise ValueError(f"unknown trigger kind {kind!r}")


def _rule_finding(
    rule: ContraindicationRule, answers: ScreeningAnswers, knowledge: Knowledge
) -> Finding:
    affected = answers.areas.get(rule.trigger.value, frozenset())
    restrictions = tuple(_restriction(effect, affected, knowledge) for effect in rule.effects)
    action = next((r.advice for r in restrictions if r.kind == "defer"), "")
    return Finding(
        id=f"rule:{rule.id}",
        source=rule.id,
        name=rule.name,
        tier=rule.tier,
        reason=rule.reason,
        action=action or "Treat with the changes listed.",
        restrictions=restrictions,
        sources=tuple(rule.sources),
    )


def _restriction(effect: Effect, affected: frozenset[str], knowledge: Knowledge) -> Restriction:
    regions: tuple[str, ...] | None = None
    unmarked = False
    if effect.region == AFFECTED_REGION:
        expanded = set()
        for region in affected:
            expanded |= knowledge.region_and_descendants(region)
        regions = tuple(sorted(expanded))
        unmarked = not expanded
    elif effect.region is not None:
        regions = tuple(sorted(knowledge.region_and_descendants(effect.region)))
    return Restriction(
        kind=effect.kind,
        regions=regions,
        technique=effect.technique,
        max_pressure=effect.max_pressure,
        advice=effect.advice,
        unmarked=unmarked,
    )


def as_treatment_item(entry: TreatmentItem | Mapping[str, Any]) -> TreatmentItem:
    """A TreatmentItem from itself or a {technique, region, pressure} mapping."""
    if isinstance(entry, TreatmentItem):
        return entry
    return TreatmentItem(str(entry["technique"]), str(entry["region"]), int(entry["pressure"]))


def _in(item: TreatmentItem, restriction: Restriction) -> bool:
    return restriction.regions is None or item.region in restriction.regions


@dataclass(frozen=True)
class _Names:
    """Knowledge-base names for ids in messages (the id itself without a knowledge base)."""

    knowledge: Knowledge | None

    def region(self, region_id: str) -> str:
        region = self.knowledge.body_regions.get(region_id) if self.knowledge else None
        return region.name.lower() if region else region_id

    def technique(self, technique_id: str) -> str:
        technique = self.knowledge.techniques.get(technique_id) if self.knowledge else None
        return technique.name if technique else technique_id


def _violates(
    finding: Finding, restriction: Restriction, item: TreatmentItem, names: _Names
) -> Violation | None:
    where = {"technique": item.technique, "region": item.region, "pressure": item.pressure}
    region, technique = names.region(item.region), names.technique(item.technique)
    if restriction.kind == "avoid_region" and restriction.regions and _in(item, restriction):
        message = f"{finding.name}: do not work on the {region}. {restriction.advice}".strip()
        return Violation(finding.id, "region", message, **where)
    if restriction.kind == "avoid_technique" and item.technique == restriction.technique:
        if _in(item, restriction) and not restriction.unmarked:
            message = f"{finding.name}: no {technique} here. {restriction.advice}".strip()
            return Violation(finding.id, "technique", message, **where)
    if restriction.kind == "cap_pressure" and restriction.max_pressure is not None:
        if item.pressure > restriction.max_pressure and _in(item, restriction):
            if not restriction.unmarked:
                message = (
                    f"{finding.name}: pressure {item.pressure} is above the maximum of "
                    f"{restriction.max_pressure} on the {region}."
                )
                return Violation(finding.id, "pressure", message, **where)
    return None
