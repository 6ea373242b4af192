"""Every screening page and API route as anonymous, outsider, unassigned colleague, front desk,
therapist and owner. Other clinics' ids reveal nothing (404); front desk gets 403."""

import json

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from kneadwell.audit.models import AccessLogEntry
from kneadwell.conftest import ROLES, bearer, logged_in
from kneadwell.screening.enforce import record_intake
from kneadwell.screening.models import Referral

CLINICAL = [302, 404, 404, 403, 200, 200]


@pytest.fixture
def record(client_record, therapist):
    intake, _ = record_intake(client_record, {"red_flags": {"foot_drop": True}}, therapist)
    referral = Referral.objects.create(
        client=client_record,
        finding_id="red_flag:foot_drop",
        urgency="urgent",
        letter_html="<p>Letter</p>",
        recorded_by=therapist,
    )
    return client_record, intake, referral


UI_ROUTES = [
    ("intake_new", lambda c, i, r: reverse("screening:intake_new", args=[c.pk]), CLINICAL),
    ("intake", lambda c, i, r: reverse("screening:intake", args=[c.pk, i.pk]), CLINICAL),
    ("checkin", lambda c, i, r: reverse("screening:checkin", args=[c.pk]), CLINICAL),
    ("clearance", lambda c, i, r: reverse("screening:clearance_new", args=[c.pk]), CLINICAL),
    ("referral_new", lambda c, i, r: reverse("reports:referral_new", args=[c.pk]), CLINICAL),
    ("referral", lambda c, i, r: reverse("reports:referral", args=[c.pk, r.pk]), CLINICAL),
    (
        "treatment_check",
        lambda c, i, r: reverse("screening:treatment_check", args=[c.pk]),
        CLINICAL,
    ),
    ("overrides", lambda c, i, r: reverse("screening:overrides"), [302, 200, 403, 403, 403, 200]),
]

TREATMENT = {"treatment": [{"technique": "swedish", "region": "calf_left", "pressure": 2}]}
API_ROUTES = [
    ("questions", "get", lambda c: "/api/v1/screening/questions", None, [401] + [200] * 5),
    (
        "evaluate",
        "post",
        lambda c: "/api/v1/screening/evaluate",
        {"conditions": ["sciatica"]},
        [401, 200, 200, 403, 200, 200],
    ),
    ("intakes", "get", lambda c: f"/api/v1/clients/{c.pk}/intakes", None, [401, *CLINICAL[1:]]),
    ("findings", "get", lambda c: f"/api/v1/clients/{c.pk}/findings", None, [401, *CLINICAL[1:]]),
    (
        "create_intake",
        "post",
        lambda c: f"/api/v1/clients/{c.pk}/intakes",
        {"complaint": "x", "consent": True, "red_flags": {}},
        [401, 404, 404, 403, 422, 422],
    ),
    (
        "check_treatment",
        "post",
        lambda c: f"/api/v1/clients/{c.pk}/screening/check-treatment",
        TREATMENT,
        [401, 404, 404, 403, 409, 409],
    ),
]


@pytest.mark.parametrize(("name", "url", "expected"), UI_ROUTES, ids=[r[0] for r in UI_ROUTES])
def test_ui_route_access(people, record, name, url, expected):
    for role, status in zip(ROLES, expected, strict=True):
        user = people[role]
        browser = logged_in(user) if user else HttpClient()
        response = browser.get(url(*record))
        assert response.status_code == status, f"{name} as {role}"
        if status == 302:
            assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("name", "method", "url", "body", "expected"), API_ROUTES, ids=[r[0] for r in API_ROUTES]
)
def test_api_route_access(people, record, name, method, url, body, expected):
    for role, status in zip(ROLES, expected, strict=True):
        user = people[role]
        headers = bearer(user) if user else {}
        kwargs = {"content_type": "application/json", "data": json.dumps(body)} if body else {}
        response = getattr(HttpClient(), method)(url(record[0]), **kwargs, **headers)
        assert response.status_code == status, f"{name} as {role}: {response.content!r}"
        assert status == 200 or "detail" in response.json()


def test_each_clinical_page_view_is_in_the_access_log(people, record):
    client = record[0]
    for name, url, _ in UI_ROUTES[:-1]:
        before = AccessLogEntry.objects.filter(client_id=client.pk).count()
        logged_in(people["therapist"]).get(url(*record))
        assert AccessLogEntry.objects.filter(client_id=client.pk).count() == before + 1, name


def test_the_access_log_never_holds_answers(people, record):
    client = record[0]
    logged_in(people["therapist"]).get(reverse("screening:intake", args=[client.pk, record[1].pk]))
    for entry in AccessLogEntry.objects.all():
        assert "foot" not in entry.what.lower()
