"""Every plan page and API route as anonymous, outsider, unassigned colleague, front desk,
therapist and owner: plans are clinical, so front desk gets 403 and other clinics 404."""

import pytest
from django.urls import reverse

from kneadwell.audit.models import AccessLogEntry
from kneadwell.conftest import (
    CLINICAL_API,
    CLINICAL_PAGE,
    Route,
    check_access,
    logged_in,
    make_client,
)
from kneadwell.reports.tests.progress_helpers import make_plan
from kneadwell.screening.enforce import record_screening

ROUTES = [
    Route("create form", lambda r: reverse("plans:create", args=[r[0].pk]), CLINICAL_PAGE),
    Route("detail", lambda r: reverse("plans:detail", args=[r[0].pk, r[1].pk]), CLINICAL_PAGE),
    Route("edit form", lambda r: reverse("plans:edit", args=[r[0].pk, r[1].pk]), CLINICAL_PAGE),
    Route("api list", lambda r: f"/api/v1/clients/{r[0].pk}/plans", CLINICAL_API, api=True),
    Route(
        "api get", lambda r: f"/api/v1/clients/{r[0].pk}/plans/{r[1].pk}", CLINICAL_API, api=True
    ),
    Route(
        "api create",
        lambda r: f"/api/v1/clients/{r[0].pk}/plans",
        (401, 404, 404, 403, 201, 201),
        method="post",
        body={"condition": "chronic_lbp", "goals": ["Walk the dog"]},
        api=True,
    ),
    Route(
        "api new version",
        lambda r: f"/api/v1/clients/{r[0].pk}/plans/{r[1].pk}/versions",
        (401, 404, 404, 403, 201, 201),
        method="post",
        body={"planned_sessions": 10, "combine_with": ["exercise"], "change_note": "Longer"},
        api=True,
    ),
]


@pytest.fixture
def record(client_record, therapist):
    record_screening(client_record, {"conditions": ["chronic_lbp"]}, "intake", therapist)
    plan, _ = make_plan(client_record, therapist)
    return client_record, plan


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_access(people, record, route):
    check_access(people, route, record)


def test_a_plan_of_another_clients_record_is_404(people, record, clinic, therapist):
    other = make_client(clinic, therapist, family_name="Other")
    url = reverse("plans:detail", args=[other.pk, record[1].pk])
    assert logged_in(people["therapist"]).get(url).status_code == 404


def test_each_plan_page_view_is_in_the_access_log(people, record):
    for route in ROUTES[:3]:
        before = AccessLogEntry.objects.filter(client_id=record[0].pk).count()
        logged_in(people["therapist"]).get(route.url(record))
        assert AccessLogEntry.objects.filter(client_id=record[0].pk).count() == before + 1, route
