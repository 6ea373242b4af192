"""A client's current safety findings in words: the findings banner's tiers, restrictions and
sources, the intake summary, and the safety summary the chart and the visit note show.

``describe`` turns a finding into the sentences the banner, the treatment check and the
referral letter show, so they always say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from kneadwell.knowledge.loader import load_knowledge
from kneadwell.screening import engine
from kneadwell.screening.bodychart import region_names
from kneadwell.screening.enforce import (
    cleared_among,
    cleared_ids,
    clinic_rules,
    findings_for,
    latest_screening,
    rescreen_conditions,
)
from kneadwell.screening.engine import TIERS, Finding, Restriction
from kneadwell.screening.models import Clearance, Screening


def tier_label(tier: str) -> str:
    """The banner heading for a tier, from tiers.yaml."""
    entry = load_knowledge().tiers.get(tier)
    return entry.banner if entry is not None else tier


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
    if restriction.kind == "avoid_position":
        positions = kb.positions
        names = ", ".join(
            positions[p].name.lower() if p in positions else p for p in restriction.positions
        )
        return f"Not in these positions: {names}.{advice}"
    if restriction.kind == "positioning":
        return f"Positioning:{advice}"
    return restriction.advice


def describe(findings: list[Finding], cleared: set[str] = frozenset()) -> list[DescribedFinding]:
    """Findings in words. A cleared finding no longer lists what its clearance lifted."""
    sources = load_knowledge().sources
    described = []
    for f in findings:
        is_cleared = f.id in cleared
        kept = [r for r in f.restrictions if not (is_cleared and r.until_cleared)]
        described.append(
            DescribedFinding(
                finding=f,
                tier_label=tier_label(f.tier),
                restrictions=[restriction_text(r) for r in kept],
                sources=[sources[s].citation if s in sources else s for s in f.sources],
                blocking=f.blocking and not is_cleared,
                cleared=is_cleared,
            )
        )
    return described


def current_findings(client) -> tuple[list[Finding], set[str]]:
    """The latest screening's answers under the clinic's current rules, and what is cleared."""
    return _findings_of(client, latest_screening(client))


def _findings_of(client, screening, clearances=None) -> tuple[list[Finding], set[str]]:
    """`screening`'s findings and what is cleared, the clearances read already if given."""
    if screening is None:
        return [], set()
    findings = findings_for(client, screening.answers)
    return findings, cleared_ids(client, findings, clearances)


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
    clearances.

    Bounded whatever the length of the record: the latest ten screenings (the newest is the
    one that counts) and the client's clearances (a handful) are read once each and serve both
    the findings and the history."""
    history = list(client.screenings.select_related("created_by")[:10])
    screening = history[0] if history else None
    clearances = list(client.clearances.all())
    findings, cleared = _findings_of(client, screening, clearances)
    described = describe(findings, cleared)
    intake = client.intakes.select_related("created_by").first()
    return {
        "client": client,
        "screening": screening,
        "intake": intake,
        "intake_summary": intake_summary(intake.answers) if intake else [],
        "findings": described,
        "by_tier": [
            (tier, tier_label(tier), [d for d in described if d.finding.tier == tier])
            for tier in TIERS
            if any(d.finding.tier == tier for d in described)
        ],
        "blocking": [d for d in described if d.blocking],
        "referral_tasks": list(client.referral_tasks.open()),
        "today": timezone.localdate(),
        "needs_checkin": bool(screening and rescreen_conditions(screening.answers)),
        "history": history,
        "overrides": client.overrides.select_related("by")[:10],
        "referrals": client.referrals.all()[:10],
        "clearances": clearances[:10],
    }


NEEDS_CLEARANCE = "Needs clearance before treatment"
LIMITS_APPLY = "Limits apply"
NOT_SCREENED = "Intake not done"


@dataclass(frozen=True)
class SafetyBadge:
    """A client's safety at a glance for lists. ``label`` and ``level`` carry no clinical detail
    (front desk sees them); ``reasons`` names the findings, for clinical staff only."""

    label: str
    level: str  # "block", "limit" or "none": the badge's look
    reasons: tuple[str, ...] = ()


def badge_for(described: list[DescribedFinding], screened: bool) -> SafetyBadge | None:
    """Blocking findings need a clearance; other findings still in force limit treatment."""
    if not screened:
        return SafetyBadge(NOT_SCREENED, "none")
    blocking = [d.finding.name for d in described if d.blocking]
    if blocking:
        return SafetyBadge(NEEDS_CLEARANCE, "block", tuple(blocking))
    limiting = [d.finding.name for d in described if d.restrictions or not d.cleared]
    if limiting:
        return SafetyBadge(LIMITS_APPLY, "limit", tuple(limiting))
    return None


def safety_badges(clients) -> dict[int, SafetyBadge | None]:
    """Each listed client's badge, as the chart would judge it (latest screening under the
    clinic's current rules, physicians' clearances), in three queries for the whole list."""
    ids = [client.pk for client in clients]
    screenings: dict[int, list[Screening]] = {pk: [] for pk in ids}
    rows = Screening.objects.filter(client_id__in=ids).latest_first()
    for screening in rows.only("client_id", "at", "findings", "answers"):
        screenings[screening.client_id].append(screening)
    clearances: dict[int, list[Clearance]] = {pk: [] for pk in ids}
    for clearance in Clearance.objects.filter(client_id__in=ids):
        clearances[clearance.client_id].append(clearance)
    # The rules of every listed clinic up front: the same queries whether or not anyone on the
    # list has been screened yet (the calendar's day reads its clients' badges too).
    rules_by_clinic = {pk: clinic_rules(pk) for pk in dict.fromkeys(c.clinic_id for c in clients)}
    badges = {}
    for client in clients:
        history = screenings[client.pk]
        if not history:
            badges[client.pk] = badge_for([], screened=False)
            continue
        answers = engine.ScreeningAnswers.from_dict({**history[0].answers, "age": client.age()})
        findings = engine.evaluate(answers, rules_by_clinic[client.clinic_id], load_knowledge())
        cleared = cleared_among(findings, history, clearances[client.pk])
        badges[client.pk] = badge_for(describe(findings, cleared), screened=True)
    return badges
