"""Personal access tokens: created and revoked in the UI, only their hash stored."""

from django.test import Client as HttpClient
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
