"""The client API: JSON errors with an actionable detail and the right status, never a 500."""

import pytest
from django.test import Client as HttpClient

from kneadwell.audit.models import AccessLogEntry, Action
from kneadwell.clients.models import Client
from kneadwell.conftest import api_as


@pytest.fixture
def api(therapist):
    return api_as(therapist)


def test_it_creates_a_client_with_the_same_rules_as_the_form(api, therapist):
    response = api(
        "post",
        "/api/v1/clients",
        {"given_names": "Mary", "family_name": "Seacole", "birth_date": "1960-01-23"},
    )
    assert response.status_code == 201
    body = response.json()
    assert body["therapists"] == [therapist.pk]
    assert Client.objects.get(pk=body["id"]).clinic == therapist.membership.clinic
    assert AccessLogEntry.objects.filter(action=Action.CREATE, client_id=body["id"]).exists()


def test_a_missing_field_gets_422_naming_it(api):
    response = api("post", "/api/v1/clients", {"given_names": "Mary"})
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert "family_name" in detail and "birth_date" in detail


def test_a_business_rule_gets_422_in_plain_words(api):
    response = api(
        "post",
        "/api/v1/clients",
        {"given_names": "M", "family_name": "S", "birth_date": "2099-01-01"},
    )
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == "birth_date"
    assert error["message"].startswith("The date of birth cannot be in the future (today is ")


def test_a_wrong_type_gets_422_not_500(api):
    response = api(
        "post", "/api/v1/clients", {"given_names": "M", "family_name": "S", "birth_date": "soon"}
    )
    assert response.status_code == 422
    assert "birth_date" in response.json()["detail"]


def test_malformed_json_gets_400(api):
    response = api("post", "/api/v1/clients", raw="{not json")
    assert response.status_code == 400
    assert response.json()["detail"]


def test_patch_changes_only_the_fields_sent(api, client_record):
    response = api("patch", f"/api/v1/clients/{client_record.pk}", {"phone": "555-0001"})
    assert response.status_code == 200
    client_record.refresh_from_db()
    assert (client_record.phone, client_record.family_name) == ("555-0001", "Lovelace")


def test_consent_to_share_with_the_physician_needs_its_date(api, client_record):
    url = f"/api/v1/clients/{client_record.pk}"
    response = api("patch", url, {"consent_share": True})
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == "consent_share_date"
    response = api("patch", url, {"consent_share": True, "consent_share_date": "2026-08-01"})
    assert response.status_code == 200
    assert (response.json()["consent_share"], response.json()["consent_share_date"]) == (
        True,
        "2026-08-01",
    )


def test_archiving_twice_is_a_conflict(api, client_record):
    assert api("post", f"/api/v1/clients/{client_record.pk}/archive").status_code == 200
    response = api("post", f"/api/v1/clients/{client_record.pk}/archive")
    assert response.status_code == 409
    assert "already archived" in response.json()["detail"]
    assert api("patch", f"/api/v1/clients/{client_record.pk}", {"phone": "1"}).status_code == 409


def test_search_finds_by_name_without_putting_it_in_the_url(api, client_record):
    response = api("post", "/api/v1/clients/search", {"q": "lovelace"})
    assert [c["id"] for c in response.json()["items"]] == [client_record.pk]


def test_without_a_token_it_answers_401_with_a_hint(db):
    response = HttpClient().get("/api/v1/clients")
    assert response.status_code == 401
    assert "Authorization: Bearer" in response.json()["detail"]


def test_the_openapi_schema_and_docs_are_served(db):
    schema = HttpClient().get("/api/v1/openapi.json").json()
    assert "/api/v1/clients/{client_id}" in schema["paths"]
    docs = HttpClient().get("/api/v1/docs")
    assert docs.status_code == 200
    # Served from our own static files: these machines (and many clinics) have no CDN access.
    assert "/static/ninja/swagger-ui-bundle.js" in docs.content.decode()
    assert "cdn" not in docs.content.decode()


def test_a_change_of_every_field_is_logged_in_full(api, client_record):
    """An access-log entry's text has a fixed length (PostgreSQL refuses more, a 500 found by
    the contract test): a long list of fields takes more entries, none cut off."""
    every = {
        name: "x" for name in ("given_names", "family_name", "preferred_name", "gender_identity",
        "pronouns", "phone", "address_line", "city", "postal_code", "country", "emergency_name",
        "emergency_relationship", "emergency_phone", "physician_name", "physician_practice",
        "physician_phone", "physician_address")
    }  # fmt: skip
    response = api("patch", f"/api/v1/clients/{client_record.pk}", {**every, "birth_date": None})
    assert response.status_code == 200, response.content
    entries = AccessLogEntry.objects.filter(action=Action.UPDATE, client_id=client_record.pk)
    assert len(entries) > 1
    named = [f for e in entries for f in e.what.removeprefix("client record fields: ").split(", ")]
    assert sorted(named) == sorted(every)
    assert all(len(e.what) <= 200 for e in entries)


def test_a_long_page_of_clients_is_logged_in_full(api, clinic, therapist):
    ids = []
    for n in range(60):
        ids.append(
            Client.objects.create(
                clinic=clinic, given_names="A", family_name=f"N{n:03}", birth_date="1970-01-01"
            ).pk
        )
        Client.objects.get(pk=ids[-1]).therapists.add(therapist)
    response = api("get", "/api/v1/clients?limit=60")
    assert len(response.json()["items"]) == 60
    entries = AccessLogEntry.objects.filter(action=Action.LIST)
    logged = [int(i) for e in entries for i in e.what.removeprefix("client list: ").split(",")]
    assert sorted(logged) == sorted(ids)
