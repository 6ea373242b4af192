"""Progress, reassessment, letter and discharge pages as anonymous, outsider, unassigned
colleague, front desk, therapist and owner; every read and change is access-logged."""

import pytest
from django.urls import reverse
from django.utils import timezone

from kneadwell.audit.models import AccessLogEntry
from kneadwell.conftest import CLINICAL_PAGE, Route, check_access, logged_in, make_client
from kneadwell.measures.tests.helpers import record_series
from kneadwell.plans.models import Discharge, Reassessment
from kneadwell.reports.tests.progress_helpers import make_plan, sign_visits

ROUTES = [
    Route("progress", lambda r: reverse("reports:progress", args=[r[0].pk]), CLINICAL_PAGE),
    Route("decide", lambda r: reverse("reports:progress", args=[r[0].pk]),
          (302, 404, 404, 403, 302, 302), method="post", body={"decision": "refer_physician"}),
    Route("letter", lambda r: reverse("reports:reassessment_letter", args=[r[0].pk, r[1].pk]),
          CLINICAL_PAGE),
    Route("discharge form", lambda r: reverse("reports:discharge", args=[r[0].pk]), CLINICAL_PAGE),
    Route("discharge", lambda r: reverse("reports:discharge", args=[r[0].pk]),
          (302, 404, 404, 403, 302, 302), method="post",
          body={"goal_0": "met", "recommendations": "Walk."}),
    Route("summary", lambda r: reverse("reports:discharge_detail", args=[r[0].pk, r[2].pk]),
          CLINICAL_PAGE),
]  # fmt: skip


@pytest.fixture
def records(client_record, therapist):
    record_series(client_record, "rmdq", [{str(n): int(n <= 12) for n in range(1, 25)}] * 2)
    plan, version = make_plan(client_record, therapist, after_visits=1, after_weeks=None)
    sign_visits(client_record, therapist, version, [timezone.localdate()])
    decision = Reassessment.objects.create(
        client=client_record, plan=plan, plan_version=version, decision="stop", by=therapist
    )
    # An older decision, so the point counts from it and the task is due again after today.
    Reassessment.objects.filter(pk=decision.pk).update(
        decided_at=timezone.now() - timezone.timedelta(days=30)
    )
    discharge = Discharge.objects.create(
        client=client_record, summary={"measures": [], "visits": {}, "goals": []},
        recommendations="Walk.", by=therapist,
    )  # fmt: skip
    Discharge.objects.filter(pk=discharge.pk).update(
        discharged_at=timezone.now() - timezone.timedelta(days=60)
    )
    return decision, discharge


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_every_page_is_scoped_to_who_may_see_the_client(people, records, client_record, route):
    check_access(people, route, (client_record, *records))


def test_every_read_is_logged(records, client_record, therapist):
    browser = logged_in(therapist)
    decision, discharge = records
    for url, what in [
        (reverse("reports:progress", args=[client_record.pk]), "progress and reassessment"),
        (reverse("reports:reassessment_letter", args=[client_record.pk, decision.pk]),
         "referral letter (not improving)"),
        (reverse("reports:discharge", args=[client_record.pk]), "discharge form"),
        (reverse("reports:discharge_detail", args=[client_record.pk, discharge.pk]),
         "discharge summary"),
    ]:  # fmt: skip
        before = AccessLogEntry.objects.count()
        browser.get(url)
        entry = AccessLogEntry.objects.order_by("-id").first()
        assert AccessLogEntry.objects.count() == before + 1
        assert (entry.what, entry.client_id, entry.action) == (what, client_record.pk, "view")


def test_another_clients_records_are_not_reachable_through_this_client(
    records, client_record, clinic, therapist
):
    other = make_client(clinic, therapist, given_names="Grace")
    decision, discharge = records
    browser = logged_in(therapist)
    assert (
        browser.get(
            reverse("reports:reassessment_letter", args=[other.pk, decision.pk])
        ).status_code
        == 404
    )
    assert (
        browser.get(reverse("reports:discharge_detail", args=[other.pk, discharge.pk])).status_code
        == 404
    )
