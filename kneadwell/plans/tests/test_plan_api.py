"""The plan API: created from the template, checked by the screening, versioned, scoped."""

import pytest
from django.test import Client as HttpClient

from kneadwell.conftest import api_as, bearer
from kneadwell.screening.enforce import record_screening


@pytest.fixture
def call(therapist):
    return api_as(therapist)


def test_it_creates_a_plan_from_the_template(call, client_record, therapist):
    record_screening(client_record, {"conditions": ["chronic_lbp"]}, "intake", therapist)
    response = call(
        "post",
        f"/api/v1/clients/{client_record.pk}/plans",
        {"condition": "chronic_lbp", "goals": ["Walk the dog"]},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["versions"][0]["number"] == 1
    assert body["versions"][0]["goals"][0]["text"] == "Walk the dog"
    assert "swedish" in body["versions"][0]["techniques"]


def test_the_screening_cap_gives_422_naming_the_field(call, client_record, therapist):
    record_screening(client_record, {"medication_classes": ["anticoagulant"]}, "intake", therapist)
    response = call(
        "post",
        f"/api/v1/clients/{client_record.pk}/plans",
        {"condition": "chronic_lbp", "goals": ["x"], "max_pressure": 5},
    )
    assert response.status_code == 422
    assert "max_pressure" in response.json()["detail"]


def test_a_change_adds_a_version(call, client_record, therapist):
    record_screening(client_record, {}, "intake", therapist)
    plan = call(
        "post",
        f"/api/v1/clients/{client_record.pk}/plans",
        {"condition": "chronic_neck_pain", "goals": ["Turn my head"]},
    ).json()
    url = f"/api/v1/clients/{client_record.pk}/plans/{plan['id']}/versions"
    assert call("post", url, {"planned_sessions": 12}).status_code == 422
    response = call("post", url, {"planned_sessions": 12, "change_note": "Longer course"})
    assert [v["number"] for v in response.json()["versions"]] == [2, 1]


def test_unknown_condition_is_422(call, client_record):
    body = {"condition": "flu", "goals": ["Sleep"]}
    response = call("post", f"/api/v1/clients/{client_record.pk}/plans", body)
    assert response.status_code == 422
    assert "Unknown condition" in response.json()["detail"]


def test_a_plan_needs_the_clients_goals(call, client_record):
    response = call("post", f"/api/v1/clients/{client_record.pk}/plans", {"condition": "flu"})
    assert response.status_code == 422
    assert "goals: Field required" in response.json()["detail"]


def test_access(client_record, outsider, colleague, desk, owner):
    url = f"/api/v1/clients/{client_record.pk}/plans"
    assert HttpClient().get(url).status_code == 401
    assert HttpClient().get(url, **bearer(outsider)).status_code == 404
    assert HttpClient().get(url, **bearer(colleague)).status_code == 404
    assert HttpClient().get(url, **bearer(desk)).status_code == 403
    assert HttpClient().get(url, **bearer(owner)).status_code == 200
