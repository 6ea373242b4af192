"""Progress, reassessment, letter and discharge pages as anonymous, outsider, unassigned
colleague, front desk, therapist and owner; every read and change is access-logged."""

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from kneadwell.audit.models import AccessLogEntry
from kneadwell.conftest import ROLES, logged_in, make_client
from kneadwell.measures.tests.helpers import record_series
from kneadwell.plans.models import Discharge, Reassessment
from kneadwell.reports.tests.progress_helpers import make_plan, sign_visits

ROUTES = [
    ("progress", "get", lambda c, r, d: reverse("reports:progress", args=[c.pk]), None,
     [302, 404, 404, 403, 200, 200]),
    ("decide", "post", lambda c, r, d: reverse("reports:progress", args=[c.pk]),
     {"decision": "refer_physician"}, [302, 404, 404, 403, 302, 302]),
    ("letter", "get", lambda c, r, d: reverse("reports:reassessment_letter", args=[c.pk, r.pk]),
     None, [302, 404, 404, 403, 200, 200]),
    ("discharge form", "get", lambda c, r, d: reverse("reports:discharge", args=[c.pk]), None,
     [302, 404, 404, 403, 200, 200]),
    ("discharge", "post", lambda c, r, d: reverse("reports:discharge", args=[c.pk]),
     {"goal_0": "met", "recommendations": "Walk."}, [302, 404, 404, 403, 302, 302]),
    ("summary", "get", lambda c, r, d: reverse("reports:discharge_detail", args=[c.pk, d.pk]),
     None, [302, 404, 404, 403, 200, 200]),
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


def browser_for(role, users):
    return HttpClient() if role == "anonymous" else logged_in(users[role])


@pytest.mark.parametrize(("name", "method", "path", "data", "expected"), ROUTES)
def test_every_page_is_scoped_to_who_may_see_the_client(
    name, method, path, data, expected, records, client_record, outsider, colleague, desk,
    therapist, owner,
):  # fmt: skip
    users = {"outsider": outsider, "colleague": colleague, "desk": desk}
    users |= {"therapist": therapist, "owner": owner}
    decision, discharge = records
    url = path(client_record, decision, discharge)
    for role, status in zip(ROLES, expected, strict=True):
        response = getattr(browser_for(role, users), method)(url, data or {})
        assert response.status_code == status, f"{name} as {role}"
        if role == "anonymous":
            assert response["Location"].startswith(reverse("login"))


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
