"""The screening engine: answers and the (clinic-adjusted) rules in, findings out; no database.

Red flags, contraindication rules and what each urgency tier does are data in the knowledge base
(red_flags.yaml, rules.yaml, tiers.yaml); this module only interprets them. A finding blocks the
whole session when its tier says so (emergency) or when it defers the session (a systemic
deferral, FACTS §5); only a physician's clearance or a new screening lifts a block.
``check_treatment`` and ``blocks_treatment`` turn findings into enforcement decisions.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from kneadwell.knowledge.loader import Knowledge
from kneadwell.knowledge.schema import (
    AFFECTED_REGION,
    ContraindicationRule,
    Cue,
    Effect,
    RedFlag,
)

# Most urgent first: the order findings are listed in. What each tier does is in tiers.yaml.
TIERS = ("emergency", "urgent", "soon", "caution")
# The history item a recorded pregnancy week implies.
PREGNANCY = "pregnancy"


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
    age: int | None = None  # from the birth date on the day of evaluation, never asked

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
            age=data.get("age"),
        )

    def all_history(self) -> frozenset[str]:
        """The history items, with "pregnancy" when a pregnancy week is recorded."""
        if self.pregnancy_week is None:
            return self.history
        return self.history | {PREGNANCY}


@dataclass(frozen=True)
class Restriction:
    """One change to the session. ``regions`` None means the whole body or session.

    ``unmarked`` is True when a rule names the affected area but none was recorded, so the
    therapist must find it out before treating; software cannot check it.
    """

    kind: str  # defer | avoid_region | cap_pressure | avoid_technique | avoid_position | ...
    regions: tuple[str, ...] | None = None
    technique: str | None = None
    max_pressure: int | None = None
    advice: str = ""
    unmarked: bool = False
    positions: tuple[str, ...] = ()
    until_cleared: bool = False  # a physician's clearance of the finding lifts it too


@dataclass(frozen=True)
class Finding:
    """A red flag answered yes, or a rule whose trigger is present.

    ``blocks``: the whole session stops (the tier says so, or a restriction defers the session).
    ``referral_due_days``: the tier's referral task, due this many days after the finding
    appears (0 is today); None when the tier needs no referral.
    """

    id: str  # "red_flag:<id>" or "rule:<id>"
    source: str  # the red-flag or rule id
    name: str
    tier: str
    reason: str
    action: str
    restrictions: tuple[Restriction, ...]
    sources: tuple[str, ...]
    blocks: bool = False
    referral_due_days: int | None = None

    @property
    def blocking(self) -> bool:
        return self.blocks

    @property
    def defers(self) -> bool:
        return any(r.kind == "defer" for r in self.restrictions)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Finding:
        restrictions = tuple(
            Restriction(
                **{
                    **r,
                    "regions": None if r["regions"] is None else tuple(r["regions"]),
                    "positions": tuple(r.get("positions", ())),
                }
            )
            for r in data["restrictions"]
        )
        fields = {**data, "restrictions": restrictions, "sources": tuple(data["sources"])}
        if "blocks" not in data:
            # Snapshots stored before tiers.yaml: emergency and a deferral blocked then too.
            fields["blocks"] = data["tier"] == "emergency" or any(
                r.kind == "defer" for r in restrictions
            )
        return cls(**fields)


@dataclass(frozen=True)
class TreatmentItem:
    """One piece of planned or delivered work: a technique on a region at a pressure level."""

    technique: str
    region: str
    pressure: int
    position: str = ""  # the client's position (positions in vocabulary.yaml); "" not recorded


@dataclass(frozen=True)
class Violation:
    """A treatment item (or the whole session) that a finding forbids."""

    finding_id: str
    kind: str  # region | technique | pressure | position
    message: str
    technique: str = ""
    region: str = ""
    pressure: int | None = None
    position: str = ""


def evaluate(
    answers: ScreeningAnswers, rules: Mapping[str, ContraindicationRule], knowledge: Knowledge
) -> list[Finding]:
    """Every finding the answers raise, most urgent first (then in knowledge-base order).

    A red flag that does not act on its own (a weak feature) raises no finding; the combination
    rules read it together with the others.
    """
    findings = [
        _red_flag_finding(flag, knowledge)
        for flag_id, flag in knowledge.red_flags.items()
        if flag.on_its_own and answers.red_flags.get(flag_id)
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
    cleared: Collection[str] = frozenset(),
) -> list[Violation]:
    """What in the treatment the findings forbid (area, technique, pressure, position).

    Deferrals and emergencies stop the whole session: they are blocking_findings', not
    violations a reason could override. A restriction marked until_cleared no longer applies
    once a physician has cleared its finding (``cleared`` holds finding or rule/flag ids).
    With `knowledge`, the messages name regions, techniques and positions as people say them.
    """
    items = [as_treatment_item(entry) for entry in treatment]
    names = _Names(knowledge)
    violations: list[Violation] = []
    for finding in findings:
        is_cleared = _is_cleared(finding, cleared)
        for restriction in finding.restrictions:
            if restriction.kind == "defer" or (is_cleared and restriction.until_cleared):
                continue
            for item in items:
                violation = _violates(finding, restriction, item, names)
                if violation is not None:
                    violations.append(violation)
    return violations


def blocking_findings(findings: Iterable[Finding], cleared: Collection[str]) -> list[Finding]:
    """Findings that stop the whole session and that no physician's clearance covers.

    ``cleared`` holds finding ids or rule/red-flag ids that a physician has cleared.
    """
    return [f for f in findings if f.blocks and not _is_cleared(f, cleared)]


def blocks_treatment(findings: Iterable[Finding], cleared: Collection[str]) -> bool:
    """True while a blocking finding (emergency, or a deferral) stands without clearance."""
    return bool(blocking_findings(findings, cleared))


def referral_findings(findings: Iterable[Finding]) -> list[Finding]:
    """The findings whose tier asks for a referral to the physician."""
    return [f for f in findings if f.referral_due_days is not None]


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


def _is_cleared(finding: Finding, cleared: Collection[str]) -> bool:
    return finding.id in cleared or finding.source in cleared


def _blocks(tier: str, restrictions: Iterable[Restriction], knowledge: Knowledge) -> bool:
    entry = knowledge.tiers.get(tier)
    by_tier = entry.blocks_treatment if entry is not None else False
    return by_tier or any(r.kind == "defer" for r in restrictions)


def _due_days(tier: str, knowledge: Knowledge) -> int | None:
    entry = knowledge.tiers.get(tier)
    return entry.referral_due_days if entry is not None else None


def _red_flag_finding(flag: RedFlag, knowledge: Knowledge) -> Finding:
    restrictions = tuple(_restriction(e, frozenset(), knowledge) for e in flag.effects)
    return Finding(
        id=f"red_flag:{flag.id}",
        source=flag.id,
        name=_red_flag_name(flag),
        tier=flag.tier,
        reason=f"Answered yes: {flag.question}",
        action=flag.action,
        restrictions=restrictions,
        sources=tuple(flag.sources),
        blocks=_blocks(flag.tier, restrictions, knowledge),
        referral_due_days=_due_days(flag.tier, knowledge),
    )


def _cue_present(cue: Cue, answers: ScreeningAnswers, knowledge: Knowledge) -> bool:
    kind, value = cue.kind, cue.value
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
    if kind == "pain_area":
        return bool(answers.pain_areas & knowledge.region_and_descendants(value))
    if kind == "age_over":
        return answers.age is not None and answers.age > int(value)
    raise ValueError(f"unknown cue kind {kind!r}")


def present_features(
    rule: ContraindicationRule, answers: ScreeningAnswers, knowledge: Knowledge
) -> list[str]:
    """The ids of a combination rule's features that the answers show."""
    return [
        feature.id
        for feature in rule.trigger.features
        if any(_cue_present(cue, answers, knowledge) for cue in feature.any_of)
    ]


def _fires(rule: ContraindicationRule, answers: ScreeningAnswers, knowledge: Knowledge) -> bool:
    trigger = rule.trigger
    kind, value = trigger.kind, trigger.value
    if kind == "combination":
        present = present_features(rule, answers, knowledge)
        return len(present) >= (trigger.at_least or 1) and set(trigger.must_include) <= set(present)
    if kind == "pregnancy_week":
        week = answers.pregnancy_week
        return week is not None and trigger.from_week is not None and week >= trigger.from_week
    if kind == "region_treated":
        worked = answers.pain_areas | answers.treated_regions
        return bool(worked & knowledge.region_and_descendants(value))
    if kind in ("condition", "medication_class", "history", "finding", "answer"):
        return _cue_present(Cue(kind=kind, value=value), answers, knowledge)
    raise ValueError(f"unknown trigger kind {kind!r}")


def _rule_finding(
    rule: ContraindicationRule, answers: ScreeningAnswers, knowledge: Knowledge
) -> Finding:
    affected = answers.areas.get(rule.trigger.value, frozenset())
    restrictions = tuple(_restriction(effect, affected, knowledge) for effect in rule.effects)
    action = next((r.advice for r in restrictions if r.kind == "defer"), "")
    tier = knowledge.tiers.get(rule.tier)
    if not action and tier is not None and tier.referral_due_days is not None:
        action = tier.referral_action
    reason = rule.reason
    if rule.trigger.kind == "combination":
        labels = {f.id: f.label for f in rule.trigger.features}
        found = [labels[i] for i in present_features(rule, answers, knowledge)]
        reason = f"{reason} Present: {'; '.join(found)}."
    elif rule.trigger.kind == "pregnancy_week":
        week, start = answers.pregnancy_week, rule.trigger.from_week
        reason = f"{reason} Week {week}; this clinic applies the rule from week {start}."
    return Finding(
        id=f"rule:{rule.id}",
        source=rule.id,
        name=rule.name,
        tier=rule.tier,
        reason=reason,
        action=action or "Treat with the changes listed.",
        restrictions=restrictions,
        sources=tuple(rule.sources),
        blocks=_blocks(rule.tier, restrictions, knowledge),
        referral_due_days=_due_days(rule.tier, knowledge),
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
        positions=tuple(effect.positions),
        until_cleared=effect.until_cleared,
    )


def as_treatment_item(entry: TreatmentItem | Mapping[str, Any]) -> TreatmentItem:
    """A TreatmentItem from itself or a {technique, region, pressure, position?} mapping."""
    if isinstance(entry, TreatmentItem):
        return entry
    return TreatmentItem(
        str(entry["technique"]),
        str(entry["region"]),
        int(entry["pressure"]),
        str(entry.get("position") or ""),
    )


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

    def position(self, position_id: str) -> str:
        position = self.knowledge.positions.get(position_id) if self.knowledge else None
        return position.name.lower() if position else position_id


def _violates(
    finding: Finding, restriction: Restriction, item: TreatmentItem, names: _Names
) -> Violation | None:
    where = {
        "technique": item.technique,
        "region": item.region,
        "pressure": item.pressure,
        "position": item.position,
    }
    region, technique = names.region(item.region), names.technique(item.technique)
    if restriction.kind == "avoid_position":
        if not item.position:
            message = (
                f"{finding.name}: record the client's position for {technique} on the {region}; "
                f"this finding rules out some positions. {restriction.advice}"
            ).strip()
            return Violation(finding.id, "position", message, **where)
        if item.position in restriction.positions:
            message = (
                f"{finding.name}: not {names.position(item.position)} for {technique} on the "
                f"{region}. {restriction.advice}"
            ).strip()
            return Violation(finding.id, "position", message, **where)
        return None
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
