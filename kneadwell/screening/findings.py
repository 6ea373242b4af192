"""A client's current safety findings in words: the findings banner's tiers, restrictions and
sources, the intake summary, and the safety summary the chart and the visit note show.

``describe`` turns a finding into the sentences the banner, the treatment check and the
referral letter show, so they always say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass

from kneadwell.knowledge.loader import load_knowledge
from kneadwell.screening.bodychart import region_names
from kneadwell.screening.enforce import (
    cleared_ids,
    evaluate_for,
    latest_screening,
    rescreen_conditions,
)
from kneadwell.screening.engine import TIERS, Finding, Restriction

TIER_LABELS = {
    "emergency": "Emergency: do not treat; emergency care now",
    "urgent": "Urgent: do not treat; contact the physician today",
    "soon": "Soon: refer for review within days to weeks",
    "caution": "Caution: treat with these changes",
}


@dataclass(frozen=True)
class DescribedFinding:
    finding: Finding
    tier_label: str
    restrictions: list[str]
    sources: list[str]
    blocking: bool
    cleared: bool


def _outermost(regions: tuple[str, ...]) -> list[str]:
    """The regions not inside another listed region (legs rather than legs and each calf)."""
    kb = load_knowledge().body_regions
    inside = set(regions)
    return [r for r in regions if r not in kb or kb[r].parent not in inside]


def restriction_text(restriction: Restriction) -> str:
    kb = load_knowledge()
    where = ""
    if restriction.unmarked:
        where = "the affected area (not marked on the chart: ask where, and record it)"
    elif restriction.regions:
        where = ", ".join(region_names(_outermost(restriction.regions)))
    advice = f" {restriction.advice}" if restriction.advice else ""
    if restriction.kind == "defer":
        return f"Do not treat now.{advice}"
    if restriction.kind == "avoid_region":
        return f"Avoid: {where}.{advice}"
    if restriction.kind == "cap_pressure":
        level = kb.pressure_level(restriction.max_pressure)
        scope = f" on {where}" if where else " anywhere"
        return f"Pressure at most {level.level} ({level.name}){scope}.{advice}"
    if restriction.kind == "avoid_technique":
        technique = kb.techniques.get(restriction.technique)
        name = technique.name if technique else restriction.technique
        scope = f" on {where}" if where else ""
        return f"No {name}{scope}.{advice}"
    if restriction.kind == "positioning":
        return f"Positioning:{advice}"
    return restriction.advice


def describe(findings: list[Finding], cleared: set[str] = frozenset()) -> list[DescribedFinding]:
    sources = load_knowledge().sources
    return [
        DescribedFinding(
            finding=f,
            tier_label=TIER_LABELS[f.tier],
            restrictions=[restriction_text(r) for r in f.restrictions],
            sources=[sources[s].citation if s in sources else s for s in f.sources],
            blocking=f.blocking and f.id not in cleared,
            cleared=f.id in cleared,
        )
        for f in findings
    ]


def current_findings(client) -> tuple[list[Finding], set[str]]:
    """The latest screening's answers under the clinic's current rules, and what is cleared."""
    screening = latest_screening(client)
    if screening is None:
        return [], set()
    findings = evaluate_for(client.clinic_id, screening.answers)
    return findings, cleared_ids(client, findings)


def intake_summary(answers: dict) -> list[tuple[str, str]]:
    """(label, text) pairs for the chart; ids become knowledge-base names."""
    kb = load_knowledge()

    def names(table, ids):
        return ", ".join(table[i].name if i in table else i for i in ids) or "none"

    yes = [flag for flag, answer in answers.get("red_flags", {}).items() if answer]
    rows = [
        ("Complaint", answers.get("complaint") or "—"),
        ("Conditions", names(kb.conditions, answers.get("conditions", []))),
        ("Started", answers.get("onset") or "—"),
        ("Duration", answers.get("duration") or "—"),
        ("Pain areas", ", ".join(region_names(answers.get("pain_areas", []))) or "none"),
        ("Medicines", names(kb.medication_classes, answers.get("medication_classes", []))),
        ("Other medicines", answers.get("medications") or "—"),
        ("History", names(kb.history_items, answers.get("history", []))),
        ("Today", names(kb.findings, answers.get("findings", []))),
        (
            "Red flags answered yes",
            "; ".join(kb.red_flags[f].question if f in kb.red_flags else f for f in yes) or "none",
        ),
        ("Goals", answers.get("goals") or "—"),
    ]
    if answers.get("pregnancy_week"):
        rows.insert(8, ("Pregnancy week", str(answers["pregnancy_week"])))
    return rows


def safety_summary(client) -> dict:
    """The client's safety picture for the chart and the visit note: findings by tier, what
    blocks treatment, the latest intake, and the history of screenings, overrides, referrals and
    clearances."""
    screening = latest_screening(client)
    findings, cleared = current_findings(client)
    described = describe(findings, cleared)
    intake = client.intakes.select_related("created_by").first()
    return {
        "client": client,
        "screening": screening,
        "intake": intake,
        "intake_summary": intake_summary(intake.answers) if intake else [],
        "findings": described,
        "by_tier": [
            (tier, TIER_LABELS[tier], [d for d in described if d.finding.tier == tier])
            for tier in TIERS
            if any(d.finding.tier == tier for d in described)
        ],
        "blocking": [d for d in described if d.blocking],
        "needs_checkin": bool(screening and rescreen_conditions(screening.answers)),
        "history": client.screenings.select_related("created_by")[:10],
        "overrides": client.overrides.select_related("by")[:10],
        "referrals": client.referrals.all()[:10],
        "clearances": client.clearances.all()[:10],
    }
