"""The visit API: drafts, sign with enforcement, addenda; same rules as the pages."""

import pytest
from django.test import Client as HttpClient

from kneadwell.conftest import api_as, bearer
from kneadwell.screening.enforce import record_screening
from kneadwell.screening.models import Override


@pytest.fixture
def call(therapist):
    return api_as(therapist)


TREATMENT = [{"technique": "swedish", "region": "low_back", "pressure": 2, "minutes": 30}]


def test_create_sign_and_add_an_addendum(call, client_record, therapist):
    record_screening(client_record, {}, "intake", therapist)
    base = f"/api/v1/clients/{client_record.pk}/visits"
    visit = call("post", base, {"nprs": 5, "treatment": TREATMENT, "client_report": "Sore"}).json()
    assert visit["status"] == "draft" and visit["treatment"][0]["technique"] == "swedish"
    signed = call("post", f"{base}/{visit['id']}/sign", {})
    assert signed.status_code == 200 and signed.json()["status"] == "signed"
    assert call("patch", f"{base}/{visit['id']}", {"assessment": "x"}).status_code == 409
    added = call("post", f"{base}/{visit['id']}/addenda", {"text": "Phoned: better"})
    assert added.status_code == 201
    assert added.json()["addenda"][0]["author"] == therapist.email


def test_signing_a_forbidden_treatment_is_409_until_overridden(call, client_record, therapist):
    record_screening(client_record, {"medication_classes": ["anticoagulant"]}, "intake", therapist)
    base = f"/api/v1/clients/{client_record.pk}/visits"
    firm = [{"technique": "myofascial_release", "region": "low_back", "pressure": 4}]
    visit = call("post", base, {"treatment": firm}).json()
    response = call("post", f"{base}/{visit['id']}/sign", {})
    assert response.status_code == 409
    assert "override_reason" in response.json()["detail"]
    response = call("post", f"{base}/{visit['id']}/sign", {"override_reason": "Physician agreed"})
    assert response.status_code == 200
    assert Override.objects.filter(client=client_record, reason="Physician agreed").exists()


def test_invalid_rows_are_422_naming_the_row(call, client_record, therapist):
    record_screening(client_record, {}, "intake", therapist)
    bad = [{"technique": "lymphatic_drainage", "region": "low_back", "pressure": 5}]
    response = call("post", f"/api/v1/clients/{client_record.pk}/visits", {"treatment": bad})
    assert response.status_code == 422
    assert "treatment.0.pressure" in response.json()["detail"]


def test_access(client_record, outsider, colleague, desk, owner):
    url = f"/api/v1/clients/{client_record.pk}/visits"
    assert HttpClient().get(url).status_code == 401
    assert HttpClient().get(url, **bearer(outsider)).status_code == 404
    assert HttpClient().get(url, **bearer(colleague)).status_code == 404
    assert HttpClient().get(url, **bearer(desk)).status_code == 403
    assert HttpClient().get(url, **bearer(owner)).status_code == 200
