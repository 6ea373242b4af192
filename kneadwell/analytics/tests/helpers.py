"""Builders for the analytics tests: whole courses of care as real records (plan, signed
visits, scored responses, a discharge)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from kneadwell.conftest import make_client
from kneadwell.knowledge.loader import load_knowledge
from kneadwell.measures.models import Response
from kneadwell.plans.models import Discharge, Plan, PlanVersion
from kneadwell.visits.models import Visit, VisitStatus

START = date(2026, 3, 2)


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def answers(instrument: str, value: float) -> dict:
    """Answers that score exactly `value` on the instruments these tests use."""
    if instrument == "rmdq":
        return {str(n): int(n <= value) for n in range(1, 25)}
    if instrument in ("nprs", "psfs"):
        return {"1": value}
    raise ValueError(instrument)


def course(
    clinic,
    therapist,
    *,
    client=None,
    condition="chronic_lbp",
    start=START,
    sessions=6,
    scores=None,
    instrument="rmdq",
    discharged=False,
    adverse=None,
    measures=None,
):
    """A course of `sessions` weekly signed visits. `scores` maps a session number (1 = the
    first) to the score taken that day; `adverse` maps a session number to its effects."""
    client = client or make_client(clinic, therapist)
    schedule = load_knowledge().conditions[condition].measures
    plan = Plan.objects.create(
        clinic=clinic,
        client=client,
        condition=condition,
        template=load_knowledge().plan_for(condition).id,
        created_by=therapist,
    )
    version = PlanVersion.objects.create(
        plan=plan,
        number=1,
        max_pressure=2,
        measures=measures
        or {
            "baseline": list(schedule.baseline),
            "every_visit": list(schedule.every_visit),
            "periodic": list(schedule.periodic),
        },
        created_by=therapist,
    )
    Plan.objects.filter(pk=plan.pk).update(created_at=at(start, 8))
    days = [start + timedelta(weeks=n) for n in range(sessions)]
    for number, day in enumerate(days, 1):
        Visit.objects.create(
            clinic=clinic,
            client=client,
            therapist=therapist,
            plan_version=version,
            visit_date=day,
            adverse_effects=(adverse or {}).get(number, []),
            status=VisitStatus.SIGNED,
            signed_at=at(day, 11),
            signed_by=therapist,
        )
        if scores and number in scores:
            value = scores[number]
            extra = {"recall": "average_week"} if instrument == "nprs" else {}
            Response.record(
                client, instrument, answers(instrument, value), taken_at=at(day), **extra
            )
    if discharged:
        Discharge.record(
            client, therapist, {"measures": []}, "Keep walking.", when=at(days[-1], 18)
        )
    plan.refresh_from_db()
    return plan


def improving(clinic, therapist, count, *, by=3, **kwargs):
    """`count` courses that reach the RMDQ MIC (14 → 8) at session `by`."""
    return [course(clinic, therapist, scores={1: 14, by: 8}, **kwargs) for _ in range(count)]


def unchanged(clinic, therapist, count, **kwargs):
    """`count` courses without a meaningful change (14 → 13 at session 4)."""
    return [course(clinic, therapist, scores={1: 14, 4: 13}, **kwargs) for _ in range(count)]
