"""Personal access tokens: created and revoked in the UI, only their hash stored."""

from datetime import date

import time_machine
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kneadwell.accounts.models import ApiToken
from kneadwell.conftest import logged_in


def test_a_new_token_is_shown_once_and_works(therapist):
    page = logged_in(therapist).post(reverse("tokens"), {"name": "laptop"}).content.decode()
    token = page.split('id="new-token">')[1].split("<")[0]
    assert token.startswith("kw_")
    assert not ApiToken.objects.filter(token_hash=token).exists()
    response = HttpClient().get("/api/v1/clients", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    assert token not in logged_in(therapist).get(reverse("tokens")).content.decode()


def test_a_revoked_token_stops_working(therapist):
    record, token = ApiToken.issue(therapist, "script")
    logged_in(therapist).post(reverse("token_revoke", args=[record.pk]))
    response = HttpClient().get("/api/v1/clients", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 401
    assert "Bearer" in response.json()["detail"]


def test_nobody_revokes_someone_elses_token(therapist, colleague):
    record, _ = ApiToken.issue(therapist, "script")
    assert logged_in(colleague).post(reverse("token_revoke", args=[record.pk])).status_code == 404
    record.refresh_from_db()
    assert record.is_active


def test_a_token_of_a_deactivated_person_stops_working(therapist):
    _, token = ApiToken.issue(therapist, "script")
    therapist.membership.is_active = False
    therapist.membership.save()
    response = HttpClient().get("/api/v1/clients", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 401


def test_an_expired_token_gets_401_saying_it_expired(therapist):
    _, token = ApiToken.issue(therapist, "script", expires_on=date(2026, 11, 30))
    with time_machine.travel("2026-11-29 23:00", tick=False):
        ok = HttpClient().get("/api/v1/clients", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert ok.status_code == 200
    with time_machine.travel("2026-11-30 00:01", tick=False):
        response = HttpClient().get("/api/v1/clients", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 401
    assert response.json()["detail"].startswith("This token expired on 2026-11-30.")


def test_a_token_is_created_with_an_expiry_date_in_the_future_only(therapist):
    browser = logged_in(therapist)
    with time_machine.travel("2026-11-23 10:00", tick=False):
        page = browser.post(reverse("tokens"), {"name": "laptop", "expires_on": "2026-11-23"})
        assert "Choose a day after today." in page.content.decode()
        assert 'value="laptop"' in page.content.decode()
        browser.post(reverse("tokens"), {"name": "laptop", "expires_on": "2026-12-31"})
    assert ApiToken.objects.get(user=therapist).expires_on == date(2026, 12, 31)


def test_last_used_is_written_at_most_once_a_minute(therapist):
    record, token = ApiToken.issue(therapist, "script")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    with time_machine.travel("2026-11-23 10:00:00", tick=False):
        HttpClient().get("/api/v1/clients", **headers)
    record.refresh_from_db()
    first = record.last_used_at
    with time_machine.travel("2026-11-23 10:00:59", tick=False):
        with CaptureQueriesContext(connection) as queries:
            HttpClient().get("/api/v1/clients", **headers)
    assert not [q for q in queries if "UPDATE" in q["sql"] and "apitoken" in q["sql"]]
    record.refresh_from_db()
    assert record.last_used_at == first
    with time_machine.travel("2026-11-23 10:01:00", tick=False):
        HttpClient().get("/api/v1/clients", **headers)
    record.refresh_from_db()
    assert (record.last_used_at - first).total_seconds() == 60
