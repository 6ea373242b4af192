"""Every measures page and API route as anonymous, outsider, unassigned colleague, front desk,
therapist and owner. Responses are clinical: front desk gets 403, other clinics 404. The
missing-item rules page is for owners, each for their own clinic."""

import json

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from kneadwell.conftest import ROLES, bearer, logged_in
from kneadwell.measures.tests.helpers import record_series

NPRS = {"instrument": "nprs", "answers": {"1": 4}, "recall": "now"}

UI_ROUTES = [
    (
        "list",
        "get",
        lambda c, r: reverse("measures:list", args=[c.pk]),
        None,
        [302, 404, 404, 403, 200, 200],
    ),
    (
        "form",
        "get",
        lambda c, r: reverse("measures:new", args=[c.pk, "odi"]),
        None,
        [302, 404, 404, 403, 200, 200],
    ),
    (
        "record",
        "post",
        lambda c, r: reverse("measures:new", args=[c.pk, "nprs"]),
        {"recall": "now", "item_1": "4", "taken_at": "2025-03-04T09:30", "source": "staff"},
        [302, 404, 404, 403, 302, 302],
    ),
    (
        "missing rules",
        "get",
        lambda c, r: reverse("measures:missing_rules"),
        None,
        [302, 200, 403, 403, 403, 200],
    ),
]

API_ROUTES = [
    (
        "record",
        "post",
        lambda c, r: f"/api/v1/clients/{c.pk}/responses",
        NPRS,
        [401, 404, 404, 403, 201, 201],
    ),
    (
        "list",
        "get",
        lambda c, r: f"/api/v1/clients/{c.pk}/responses",
        None,
        [401, 404, 404, 403, 200, 200],
    ),
    ("get", "get", lambda c, r: f"/api/v1/responses/{r.pk}", None, [401, 404, 404, 403, 200, 200]),
    (
        "fhir",
        "get",
        lambda c, r: f"/api/v1/responses/{r.pk}/fhir",
        None,
        [401, 404, 404, 403, 200, 200],
    ),
    (
        "instruments",
        "get",
        lambda c, r: "/api/v1/instruments",
        None,
        [401, 200, 200, 200, 200, 200],
    ),
    (
        "questionnaire",
        "get",
        lambda c, r: "/api/v1/instruments/nprs/questionnaire",
        None,
        [401, 200, 200, 200, 200, 200],
    ),
]


@pytest.fixture
def recorded(client_record):
    (response,) = record_series(client_record, "nprs", [{"1": 6}], recall="now")
    return response


@pytest.mark.parametrize(
    ("name", "method", "url", "body", "expected"), UI_ROUTES, ids=[r[0] for r in UI_ROUTES]
)
def test_ui_route_access(people, client_record, recorded, name, method, url, body, expected):
    for role, status in zip(ROLES, expected, strict=True):
        user = people[role]
        browser = logged_in(user) if user else HttpClient()
        response = getattr(browser, method)(url(client_record, recorded), body or {})
        assert response.status_code == status, f"{name} as {role}"
        if status == 302 and role == "anonymous":
            assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("name", "method", "url", "body", "expected"), API_ROUTES, ids=[r[0] for r in API_ROUTES]
)
def test_api_route_access(people, client_record, recorded, name, method, url, body, expected):
    for role, status in zip(ROLES, expected, strict=True):
        user = people[role]
        headers = bearer(user) if user else {}
        kwargs = {"content_type": "application/json", "data": json.dumps(body)} if body else {}
        response = getattr(HttpClient(), method)(url(client_record, recorded), **kwargs, **headers)
        assert response.status_code == status, f"{name} as {role}: {response.content!r}"
        if status >= 400:
            assert "detail" in response.json()


def test_the_chart_shows_the_measures_section_only_to_clinical_staff(
    people, client_record, recorded
):
    url = reverse("clients:detail", args=[client_record.pk])
    assert (
        "Outcome measures and progress" in logged_in(people["therapist"]).get(url).content.decode()
    )
    assert (
        "Outcome measures and progress" not in logged_in(people["desk"]).get(url).content.decode()
    )
