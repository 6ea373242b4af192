"""The screening API: questions, evaluation, intakes, findings and treatment checks."""

import json

import pytest
from django.test import Client as HttpClient

from kneadwell.audit.models import AccessLogEntry, Action, Channel
from kneadwell.conftest import bearer
from kneadwell.knowledge.loader import load_knowledge
from kneadwell.screening.models import Intake, Override, Screening

KB = load_knowledge()


def intake_body(yes=(), **changes) -> dict:
    """A complete intake for sciatica; red flags in ``yes`` answered yes, the rest no."""
    body = {
        "complaint": "Leg pain",
        "conditions": ["sciatica"],
        "pain_areas": ["buttock_left", "thigh_back_left"],
        "red_flags": {
            f.id: False
            for f in KB.red_flags.values()
            if f.applies_to == "all" or "sciatica" in f.applies_to
        },
        "consent": True,
    }
    body["red_flags"].update(dict.fromkeys(yes, True))
    body.update(changes)
    return body


@pytest.fixture
def api(therapist):
    headers = bearer(therapist)

    def call(method, url, body=None):
        kwargs = dict(headers)
        if body is not None:
            kwargs.update(content_type="application/json", data=json.dumps(body))
        return getattr(HttpClient(), method)(url, **kwargs)

    return call


def test_it_lists_every_red_flag_question_with_ids(api):
    body = api("get", "/api/v1/screening/questions").json()
    assert {q["id"] for q in body} == set(KB.red_flags)
    ces = next(q for q in body if q["id"] == "ces_bladder")
    assert ces["tier"] == "emergency" and ces["every_visit"] is True and ces["applies_to"] == "all"


def test_evaluate_returns_findings_and_stores_nothing(api):
    body = {"medication_classes": ["anticoagulant"], "red_flags": {"foot_drop": True}}
    response = api("post", "/api/v1/screening/evaluate", body)
    assert response.status_code == 200
    findings = response.json()
    assert [f["id"] for f in findings] == ["red_flag:foot_drop", "rule:anticoagulant"]
    assert findings[0]["blocking"] is False  # urgent: contact the physician today (FACTS §4)
    cap = findings[1]["restrictions"][0]
    assert cap["max_pressure"] == 3 and cap["text"].startswith("Pressure at most 3")
    assert Screening.objects.count() == 0


def test_evaluate_names_unknown_ids(api):
    response = api("post", "/api/v1/screening/evaluate", {"conditions": ["gout"]})
    assert response.status_code == 422
    assert "conditions: unknown id(s): gout" in response.json()["detail"]


def test_it_records_an_intake_and_lists_it(api, client_record):
    url = f"/api/v1/clients/{client_record.pk}/intakes"
    response = api("post", url, intake_body(medication_classes=["antiplatelet"]))
    assert response.status_code == 201, response.content
    ids = {f["id"] for f in response.json()["findings"]}
    assert ids == {"rule:antiplatelet", "rule:sciatica_nerve_path"}
    assert Intake.objects.filter(client=client_record).count() == 1
    listed = api("get", url).json()["items"]
    assert [i["id"] for i in listed] == [response.json()["id"]]
    assert AccessLogEntry.objects.filter(
        action=Action.CREATE, client_id=client_record.pk, channel=Channel.API
    ).exists()


def test_an_intake_with_an_unanswered_red_flag_gets_422_in_plain_words(api, client_record):
    body = intake_body()
    del body["red_flags"]["ces_bladder"]
    response = api("post", f"/api/v1/clients/{client_record.pk}/intakes", body)
    assert response.status_code == 422
    assert "rf_ces_bladder: Answer yes or no" in response.json()["detail"]


def test_findings_show_the_latest_screening(api, client_record):
    url = f"/api/v1/clients/{client_record.pk}"
    assert api("get", f"{url}/findings").json()["findings"] == []
    api("post", f"{url}/intakes", intake_body(history=["known_dvt"]))
    body = api("get", f"{url}/findings").json()
    assert body["blocked"] is True
    assert body["findings"][0]["id"] == "rule:dvt_known"


def test_check_treatment_stays_409_when_blocked_even_with_a_reason(api, client_record):
    url = f"/api/v1/clients/{client_record.pk}"
    api("post", f"{url}/intakes", intake_body(yes=["ces_both_legs"]))
    treatment = [{"technique": "swedish", "region": "low_back", "pressure": 4}]
    response = api("post", f"{url}/screening/check-treatment", {"treatment": treatment})
    assert response.status_code == 409
    assert "clearance" in response.json()["detail"]
    response = api(
        "post",
        f"{url}/screening/check-treatment",
        {"treatment": treatment, "override_reason": "Client insists"},
    )
    assert response.status_code == 409
    assert Override.objects.count() == 0
    assert not AccessLogEntry.objects.filter(action=Action.OVERRIDE).exists()


def test_check_treatment_without_a_screening_is_409(api, client_record):
    response = api(
        "post",
        f"/api/v1/clients/{client_record.pk}/screening/check-treatment",
        {"treatment": [], "override_reason": "because"},
    )
    assert response.status_code == 409
    assert "Complete the intake" in response.json()["detail"]


def test_check_treatment_returns_violations_without_a_reason(api, client_record):
    url = f"/api/v1/clients/{client_record.pk}"
    api("post", f"{url}/intakes", intake_body(medication_classes=["anticoagulant"]))
    treatment = [
        {"technique": "deep_tissue", "region": "calf_left", "pressure": 4},
        {"technique": "swedish", "region": "calf_right", "pressure": 2},
    ]
    body = api("post", f"{url}/screening/check-treatment", {"treatment": treatment}).json()
    assert body["allowed"] is False and body["blocked"] is False
    assert {(v["kind"], v["region"]) for v in body["violations"]} == {
        ("pressure", "calf_left"),
        ("technique", "calf_left"),
    }
    assert Override.objects.count() == 0


def test_check_treatment_names_an_unknown_technique(api, client_record):
    body = {"treatment": [{"technique": "reiki", "region": "calf_left", "pressure": 2}]}
    response = api("post", f"/api/v1/clients/{client_record.pk}/screening/check-treatment", body)
    assert response.status_code == 422
    assert "treatment.0.technique" in response.json()["detail"]
