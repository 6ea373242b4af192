"""Questionnaires the plan asks for now, answered by the client at home on the same instrument
forms as the clinic's (measures), and scored on submit into the same series.

Due: the plan's baseline measures not yet answered for this plan; its reassessment measures
once the reassessment point is reached (reports.reassess) and not answered since; its
every-visit measures (other than pain now, which the check-in asks) while a check-in is due.
An instrument whose licence keeps its wording out is offered only where the clinic loaded it.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from kneadwell.knowledge.instruments.registry import UnknownInstrument, get_instrument
from kneadwell.measures import progress
from kneadwell.measures.models import LicensedText
from kneadwell.plans.models import Plan, PlanStatus
from kneadwell.portal import checkin
from kneadwell.reports import reassess

# A baseline answered a little before the plan was saved (at the intake) still counts.
BASELINE_GRACE = timedelta(days=14)


def due(client) -> list:
    """The instruments (knowledge specs) the client is asked to answer now, in plan order."""
    plan = (
        Plan.objects.filter(client=client, status=PlanStatus.ACTIVE).order_by("-created_at").first()
    )
    if plan is None:
        return []
    version = plan.current()
    measures = version.measures or {}
    responses = list(client.measure_responses.chronological())
    last = {}
    for response in responses:
        last[response.instrument] = response.taken_at
    wanted: list[str] = []
    since = version.created_at - BASELINE_GRACE
    wanted += [i for i in measures.get("baseline", []) if last.get(i) is None or last[i] < since]
    review = reassess.review(client, progress.courses(responses), timezone.localdate())
    if review is not None and review.point.due and review.point.due_on is not None:
        day = review.point.due_on
        wanted += [
            i
            for i in measures.get("periodic", [])
            if last.get(i) is None or timezone.localtime(last[i]).date() < day
        ]
    if checkin.pending(client):
        today = timezone.localdate()
        wanted += [
            i
            for i in measures.get("every_visit", [])
            if i != "nprs" and (last.get(i) is None or timezone.localtime(last[i]).date() < today)
        ]
    found = []
    for instrument_id in dict.fromkeys(wanted):
        try:
            spec = get_instrument(instrument_id)
        except UnknownInstrument:
            continue
        if spec.licence.ships_text or LicensedText.for_form(client.clinic_id, spec) is not None:
            found.append(spec)
    return found
