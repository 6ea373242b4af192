"""Turning a condition's plan template into a client's first plan: pure functions.

The template comes from the knowledge base; the client's screening restrictions remove what is
forbidden and cap what is limited, and every removal says why.
"""

from dataclasses import dataclass, field

from kneadwell.knowledge.loader import Knowledge
from kneadwell.knowledge.schema import PlanTemplate


@dataclass(frozen=True)
class Restrictions:
    """What the client's current screening findings forbid or limit, each with its reason."""

    avoid_techniques: dict[str, str] = field(default_factory=dict)
    avoid_regions: dict[str, str] = field(default_factory=dict)
    max_pressure: int | None = None
    max_pressure_reason: str = ""
    positioning: tuple[str, ...] = ()
    blocked_reason: str = ""

    @property
    def is_blocked(self) -> bool:
        return bool(self.blocked_reason)


@dataclass(frozen=True)
class Removed:
    technique: str
    reason: str


@dataclass
class PlanDraft:
    """The values of a first plan version, plus what the screening took out and why."""

    techniques: list[str]
    safety_notes: dict[str, str]
    max_pressure: int
    session_minutes: int | None
    sessions_per_week: int | None
    planned_sessions: int | None
    reassess_after_visits: int | None
    reassess_after_weeks: int | None
    combine_with: list[dict]
    measures: dict[str, list[str]]
    discharge_criteria: list[str]
    positioning: list[str]
    removed: list[Removed]
    avoid_regions: dict[str, str]
    convention: bool
    status: str


def _low(value) -> int | None:
    return value.min if value is not None else None


def _max_pressure(template: PlanTemplate, knowledge: Knowledge) -> int:
    return max(knowledge.techniques[p.technique].pressure_max for p in template.techniques)


def draft_from_template(
    template: PlanTemplate, knowledge: Knowledge, restrictions: Restrictions
) -> PlanDraft:
    """The template with forbidden techniques removed and pressure capped by the screening."""
    kept, removed, notes = [], [], {}
    cap = restrictions.max_pressure
    for planned in template.techniques:
        technique = knowledge.techniques[planned.technique]
        if planned.technique in restrictions.avoid_techniques:
            removed.append(
                Removed(planned.technique, restrictions.avoid_techniques[planned.technique])
            )
        elif cap is not None and technique.pressure_min > cap:
            reason = (
                f"needs pressure {technique.pressure_min} or more; "
                f"{restrictions.max_pressure_reason}"
            )
            removed.append(Removed(planned.technique, reason))
        else:
            kept.append(planned.technique)
            notes[planned.technique] = planned.safety_note
    pressure = _max_pressure(template, knowledge)
    if cap is not None:
        pressure = min(pressure, cap)
    condition = knowledge.conditions[template.condition]
    return PlanDraft(
        techniques=kept,
        safety_notes=notes,
        max_pressure=pressure,
        session_minutes=_low(template.session_minutes),
        sessions_per_week=_low(template.sessions_per_week),
        planned_sessions=_low(template.planned_sessions),
        reassess_after_visits=_low(template.reassess_after.visits),
        reassess_after_weeks=_low(template.reassess_after.weeks),
        combine_with=[{"kind": c.kind, "note": c.note} for c in template.combine_with],
        measures={
            "baseline": list(condition.measures.baseline),
            "every_visit": list(condition.measures.every_visit),
            "periodic": list(condition.measures.periodic),
        },
        discharge_criteria=list(template.discharge_criteria),
        positioning=list(restrictions.positioning),
        removed=removed,
        avoid_regions=dict(restrictions.avoid_regions),
        convention=template.convention,
        status=template.status,
    )


def violations(values: dict, restrictions: Restrictions, knowledge: Knowledge) -> dict[str, str]:
    """Field → message for plan values that the screening forbids (used when editing)."""
    problems = {}
    bad = [t for t in values.get("techniques", []) if t in restrictions.avoid_techniques]
    if bad:
        names = ", ".join(knowledge.techniques[t].name for t in bad)
        reasons = "; ".join(restrictions.avoid_techniques[t] for t in bad)
        problems["techniques"] = f"The screening rules out {names}: {reasons}"
    cap = restrictions.max_pressure
    if cap is not None and values.get("max_pressure") and values["max_pressure"] > cap:
        problems["max_pressure"] = (
            f"The screening caps pressure at level {cap}: {restrictions.max_pressure_reason}"
        )
    regions = [r for r in values.get("focus_regions", []) if r in restrictions.avoid_regions]
    if regions:
        names = ", ".join(knowledge.body_regions[r].name for r in regions)
        problems["focus_regions"] = f"The screening rules out work on {names}."
    return problems
