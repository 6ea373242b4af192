"""Reassessment decisions, a plan change and a discharged client for the Demo Clinic, so its
progress pages show each state: a task due, a decision and a plan mark, and a discharge."""

from __future__ import annotations

import random
from datetime import datetime, time

from django.utils import timezone

from kneadwell.measures.models import Response
from kneadwell.measures.progress import courses
from kneadwell.plans.models import Discharge, Plan, PlanStatus, Reassessment
from kneadwell.reports import discharge, reassess
from kneadwell.visits.models import VisitStatus


def populate(clinic, rng: random.Random) -> int:
    """Change the plan of one client who is not improving and discharge one who is; the
    others keep their reassessment task. Returns how many records were added."""
    made = 0
    changed = discharged = False
    plans = Plan.objects.filter(clinic=clinic, status=PlanStatus.ACTIVE).select_related("client")
    for plan in plans.order_by("client_id"):
        client = plan.client
        version = plan.current()
        visits = list(version.visits.filter(status=VisitStatus.SIGNED).order_by("visit_date"))
        if len(visits) < 6:
            continue
        found = courses(client.measure_responses.all())
        review = reassess.review(client, found, visits[-1].visit_date)
        if review is None or review.primary is None:
            continue
        therapist = visits[0].therapist
        if not review.is_improved and not changed:
            made += _change_plan(plan, version, visits, review, therapist)
            changed = True
        elif review.is_improved and not discharged:
            made += _discharge(client, plan, visits, found, therapist, rng)
            discharged = True
        if changed and discharged:
            break
    return made


def _at(day, hour=18):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _change_plan(plan, version, visits, review, therapist) -> int:
    """At the 4th visit: no meaningful improvement, so the therapist changes the plan."""
    fourth = visits[3]
    Reassessment.objects.create(
        client=plan.client,
        plan=plan,
        plan_version=version,
        decision="change_plan",
        note="No meaningful change after 4 sessions; adding a home exercise and shorter sessions.",
        primary_instrument=review.primary.instrument.id,
        primary_status=", ".join(r.status for r in review.primary.readings),
        decided_at=_at(fourth.visit_date),
        by=therapist,
    )
    values = {
        f.name: getattr(version, f.name)
        for f in version._meta.concrete_fields
        if f.name not in ("id", "plan", "number", "created_at", "created_by", "change_note")
    }
    new = plan.versions.create(
        number=version.number + 1,
        created_by=therapist,
        change_note="Added a daily walking programme; session length cut to 45 minutes.",
        **values,
    )
    # Dated at the decision: created_at is set on insert, so set it afterwards.
    type(new).objects.filter(pk=new.pk).update(created_at=_at(fourth.visit_date))
    later = [v.pk for v in visits[4:]]
    type(visits[0]).objects.filter(pk__in=later).update(plan_version=new)
    return 2


def _discharge(client, plan, visits, found, therapist, rng) -> int:
    """The course worked: the client rates their change and is discharged after the last visit."""
    last = visits[-1].visit_date
    Response.record(
        client, "pgic", {"1": rng.choice([1, 2])}, taken_at=_at(last, 17), entered_by=therapist
    )
    found = courses(client.measure_responses.all())
    goals = [(g["text"], "met") for g in plan.current().goals if g.get("text")]
    plans = [{"id": plan.pk, "condition": plan.condition, "version": plan.current().number}]
    summary = discharge.summary(found, [v.visit_date for v in visits], goals, plans)
    Discharge.record(
        client,
        therapist,
        summary,
        "Keep up the daily walk and the stretches from the handout. Book again if the pain "
        "returns to its starting level for more than two weeks.",
        when=_at(last, 19),
    )
    return 2
