"""A client with a long record, built in bulk: one course of `visits` weekly signed notes, each
with its NPRS, the plan's periodic RMDQ and a decision every four visits, and a check-in
screening at every visit. Clients built with different numbers of visits differ only in that,
so their pages can be compared."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from kneadwell.conftest import make_client
from kneadwell.measures.models import Response
from kneadwell.plans.models import Reassessment
from kneadwell.reports.tests.progress_helpers import make_plan
from kneadwell.screening.enforce import record_intake
from kneadwell.screening.models import Screening, ScreeningKind
from kneadwell.visits.models import Visit, VisitStatus

ANSWERS = {"complaint": "Low back pain", "conditions": ["chronic_lbp"], "consent": True}


def long_record(clinic, therapist, visits: int, *, start: date | None = None):
    """A new client of `therapist` with `visits` signed weekly visits ending before today."""
    client = make_client(clinic, therapist, family_name=f"Longrecord{visits}")
    intake, screening = record_intake(client, ANSWERS, therapist)
    first = start or timezone.localdate() - timedelta(weeks=visits + 1)
    plan, version = make_plan(client, therapist, after_visits=4, after_weeks=None)
    old = timezone.make_aware(datetime.combine(first - timedelta(days=1), time(9)))
    plan.__class__.objects.filter(pk=plan.pk).update(created_at=old)
    version.__class__.objects.filter(pk=version.pk).update(created_at=old)
    Screening.objects.filter(pk=screening.pk).update(at=old)
    rows, responses, decisions, checkins = [], [], [], []
    for n in range(visits):
        day = first + timedelta(weeks=n)
        at = timezone.make_aware(datetime.combine(day, time(10)))
        pain = 3 + (n * 7) % 5
        rows.append(
            Visit(
                clinic_id=clinic.pk,
                client=client,
                therapist=therapist,
                plan_version=version,
                visit_date=day,
                start_time=time(10),
                duration_minutes=45,
                nprs=pain,
                client_report="About the same as last week.",
                status=VisitStatus.SIGNED,
                signed_at=at + timedelta(hours=1),
                signed_by=therapist,
            )
        )
        responses.append(Response.build(client, "nprs", {"1": pain}, recall="now", taken_at=at))
        checkins.append(
            Screening(
                client=client,
                intake=intake,
                kind=ScreeningKind.VISIT_CHECKIN,
                answers=ANSWERS,
                findings=[],
                created_by=therapist,
                at=at,
            )
        )
        if n % 4 == 3:
            answers = {str(i): (n // 4 + i) % 2 for i in range(1, 25)}
            responses.append(
                Response.build(client, "rmdq", answers, taken_at=at + timedelta(minutes=50))
            )
            decisions.append(
                Reassessment(
                    client=client,
                    plan=plan,
                    plan_version=version,
                    decision="continue",
                    primary_instrument="rmdq",
                    primary_status="no_meaningful_change",
                    decided_at=at + timedelta(minutes=55),
                    by=therapist,
                )
            )
    Visit.objects.bulk_create(rows)
    Response.objects.bulk_create(responses)
    Screening.objects.bulk_create(checkins)
    Reassessment.objects.bulk_create(decisions)
    return client
