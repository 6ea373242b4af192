"""My care: the plan in plain words, the home advice of the last signed note, the handouts of
the client's conditions, and two hooks for what other apps will provide.

Hooks (each returns an empty list until its app provides the data; the page shows the
section as soon as it returns something):
- ``upcoming_appointments(client)``: the appointments app's booked visits, soonest first,
  each with ``starts_at`` and ``with_whom``.
- ``shared_letters(client)``: letters to the physician the clinic chose to share with the
  client (there is no "shared" notion on letters yet), each with ``title``, ``sent_on`` and
  ``url`` (a portal address; the document itself comes from reports' PDFs).
"""

from __future__ import annotations

from dataclasses import dataclass

from kneadwell.knowledge.loader import load_knowledge
from kneadwell.plans.models import Plan, PlanStatus
from kneadwell.screening import enforce
from kneadwell.screening.bodychart import region_names
from kneadwell.visits import notes


@dataclass(frozen=True)
class PlanWords:
    condition: str
    sessions: str
    techniques: str
    areas: str
    goals: list[str]
    since: object


def plan_in_words(client) -> PlanWords | None:
    plan = (
        Plan.objects.filter(client=client, status=PlanStatus.ACTIVE).order_by("-created_at").first()
    )
    if plan is None:
        return None
    version = plan.current()
    kb = load_knowledge()
    condition = kb.conditions.get(plan.condition)
    parts = []
    if version.planned_sessions:
        parts.append(f"about {version.planned_sessions} sessions")
    if version.sessions_per_week:
        times = "once" if version.sessions_per_week == 1 else f"{version.sessions_per_week} times"
        parts.append(f"{times} a week")
    if version.session_minutes:
        parts.append(f"{version.session_minutes} minutes each")
    techniques = [kb.techniques[t].name for t in version.techniques if t in kb.techniques]
    return PlanWords(
        condition=condition.name if condition else "",
        sessions=", ".join(parts),
        techniques=", ".join(techniques),
        areas=", ".join(region_names(version.focus_regions)),
        goals=[g.get("text", "") for g in version.goals if g.get("text")],
        since=version.created_at,
    )


def home_advice(client) -> tuple[str, object] | None:
    """The home advice of the last signed note, and the visit's date."""
    visit = notes.last_signed_visit(client)
    if visit is None or not visit.home_advice.strip():
        return None
    return visit.home_advice, visit.visit_date


def handouts(client) -> list:
    """The handouts of the client's conditions (from the latest screening and the plans)."""
    kb = load_knowledge()
    latest = enforce.latest_screening(client)
    conditions = list(latest.answers.get("conditions", [])) if latest else []
    conditions += list(client.plans.values_list("condition", flat=True))
    found = [kb.handout_for(c) for c in dict.fromkeys(conditions)]
    return [h for h in found if h is not None]


def upcoming_appointments(client) -> list:
    return []


def shared_letters(client) -> list:
    return []
