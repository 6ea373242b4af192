"""The measures API: recording scores computed (never taken from input), errors naming the
item, reading, the FHIR export and the instruments."""

import json

import pytest
from django.test import Client as HttpClient
from fhir.resources.R4B.bundle import Bundle

from kneadwell.audit.models import AccessLogEntry
from kneadwell.conftest import bearer
from kneadwell.measures.models import InstrumentSetting, Response
from kneadwell.measures.tests.helpers import odi_answers, record_series


def post(user, client, body):
    return HttpClient().post(
        f"/api/v1/clients/{client.pk}/responses",
        data=json.dumps(body),
        content_type="application/json",
        **bearer(user),
    )


def get(user, url):
    return HttpClient().get(url, **bearer(user))


def test_it_records_an_odi_and_computes_the_score(therapist, client_record):
    answers = odi_answers(2, 2, 2, 2, 2, 2, 2, 2, 0)
    response = post(therapist, client_record, {"instrument": "odi", "answers": answers})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["score"] == pytest.approx(35.5555, abs=1e-3)
    assert body["score_display"] == 35.6
    assert body["rule"] == "answered_max1"
    assert body["prorated"] is True
    assert body["entered_by"] == therapist.pk
    assert Response.objects.get().score == pytest.approx(16 / 45 * 100)


def test_it_refuses_a_score_sent_with_the_answers(therapist, client_record):
    body = {"instrument": "nprs", "answers": {"1": 3}, "recall": "now", "score": 0}
    response = post(therapist, client_record, body)
    assert response.status_code == 422
    assert "score" in response.json()["detail"]
    assert not Response.objects.exists()


def test_an_out_of_range_answer_is_a_422_naming_the_item_and_allowed_values(
    therapist, client_record
):
    response = post(therapist, client_record, {"instrument": "odi", "answers": odi_answers(2, 9)})
    assert response.status_code == 422
    body = response.json()
    assert body["item"] == "2"
    assert body["allowed"] == "whole numbers 0 to 5"
    assert "ODI item 2" in body["detail"]


def test_an_unknown_instrument_is_a_422_listing_the_known_ones(therapist, client_record):
    response = post(therapist, client_record, {"instrument": "bpi", "answers": {}})
    assert response.status_code == 422
    assert "known instruments: fiqr" in response.json()["detail"]


def test_it_stores_the_nprs_recall_and_psfs_activities(therapist, client_record):
    post(
        therapist, client_record, {"instrument": "nprs", "answers": {"1": 7}, "recall": "worst_24h"}
    )
    body = {
        "instrument": "psfs",
        "answers": {"1": 4, "2": 6},
        "activities": {"1": "Walking", "2": "Typing"},
    }
    psfs = post(therapist, client_record, body).json()
    assert psfs["context"] == {"activities": {"1": "Walking", "2": "Typing"}}
    assert psfs["score"] == 5
    assert Response.objects.get(instrument="nprs").context == {"recall": "worst_24h"}


def test_it_uses_the_clinics_rule_unless_one_is_given(therapist, client_record):
    InstrumentSetting.objects.create(
        clinic=client_record.clinic, instrument="odi", missing_rule="answered_max2"
    )
    answers = odi_answers(*[2] * 8)
    assert (
        post(therapist, client_record, {"instrument": "odi", "answers": answers}).json()["rule"]
        == "answered_max2"
    )
    refused = post(
        therapist, client_record, {"instrument": "odi", "answers": answers, "rule": "answered_max1"}
    )
    assert refused.status_code == 422
    assert refused.json()["item"] == "9"


def test_it_lists_and_reads_a_clients_responses(therapist, client_record):
    first, second = record_series(client_record, "nprs", [{"1": 8}, {"1": 5}], recall="now")
    listed = get(therapist, f"/api/v1/clients/{client_record.pk}/responses").json()["items"]
    assert [r["id"] for r in listed] == [second.pk, first.pk]
    one = get(therapist, f"/api/v1/responses/{first.pk}").json()
    assert (one["score"], one["band"], one["context"]) == (8, "severe", {"recall": "now"})


def test_the_fhir_export_parses_as_an_r4_bundle(therapist, client_record):
    (saved,) = record_series(client_record, "zcq", [{str(n): 2 for n in range(1, 13)}])
    response = get(therapist, f"/api/v1/responses/{saved.pk}/fhir")
    assert response.status_code == 200
    bundle = Bundle.model_validate(response.json())
    assert bundle.type == "collection"
    qr, *observations = [e.resource for e in bundle.entry]
    assert qr.__resource_type__ == "QuestionnaireResponse"
    assert qr.subject.reference == f"Patient/{client_record.pk}"
    assert [i.linkId for i in qr.item] == [str(n) for n in range(1, 13)]
    assert len(observations) == 2  # symptom severity and physical function; no satisfaction
    for observation in observations:
        assert observation.derivedFrom[0].reference == f"QuestionnaireResponse/{qr.id}"
        assert observation.valueQuantity.code == "{score}"
    assert observations[0].valueQuantity.value == 2
    full_urls = [e.fullUrl for e in bundle.entry]
    assert len(set(full_urls)) == len(full_urls)


def test_the_nprs_fhir_export_carries_the_recall_period(therapist, client_record):
    (saved,) = record_series(client_record, "nprs", [{"1": 6}], recall="average_week")
    bundle = Bundle.model_validate(get(therapist, f"/api/v1/responses/{saved.pk}/fhir").json())
    observation = bundle.entry[1].resource
    assert observation.valueQuantity.value == 6
    assert observation.component[0].valueCodeableConcept.coding[0].code == "average_week"


def test_reads_and_writes_are_logged_on_the_api_channel(therapist, client_record):
    created = post(
        therapist, client_record, {"instrument": "nprs", "answers": {"1": 3}, "recall": "now"}
    ).json()
    get(therapist, f"/api/v1/clients/{client_record.pk}/responses")
    get(therapist, f"/api/v1/responses/{created['id']}")
    get(therapist, f"/api/v1/responses/{created['id']}/fhir")
    entries = list(
        AccessLogEntry.objects.order_by("id").values_list("action", "what", "channel", "client_id")
    )
    assert entries == [
        ("create", "outcome measure: NPRS", "api", client_record.pk),
        ("view", "outcome measures", "api", client_record.pk),
        ("view", "outcome measure: NPRS", "api", client_record.pk),
        ("export", "outcome measure FHIR: NPRS", "api", client_record.pk),
    ]


def test_it_describes_the_instruments_with_the_clinics_rule(therapist):
    InstrumentSetting.objects.create(
        clinic=therapist.membership.clinic, instrument="rmdq", missing_rule="complete"
    )
    instruments = {i["id"]: i for i in get(therapist, "/api/v1/instruments").json()}
    assert len(instruments) == 12
    assert instruments["rmdq"]["clinic_rule"] == "complete"
    assert instruments["odi"]["clinic_rule"] == "answered_max1"
    assert instruments["odi"]["ships_text"] is False


def test_it_serves_a_questionnaire_without_licensed_wording(therapist):
    body = get(therapist, "/api/v1/instruments/odi/questionnaire").json()
    assert body["resourceType"] == "Questionnaire"
    assert body["item"][0]["text"] == "Section 1: Pain intensity"
    assert get(therapist, "/api/v1/instruments/bpi/questionnaire").status_code == 404
