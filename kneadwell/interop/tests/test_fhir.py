"""FHIR export round-trips through an independent library (fhir.resources, R4B models) and is
compared field by field."""

from datetime import UTC, datetime

import pytest
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from kneadwell.interop import fhir
from kneadwell.knowledge.instruments.registry import get_instrument, load_instruments
from kneadwell.knowledge.instruments.scoring import AnswerError, score

WHEN = datetime(2025, 3, 4, 9, 30, tzinfo=UTC)
PATIENT = "Patient/42"
RESPONSE = "QuestionnaireResponse/r-1"


def complete(instrument_id, value=None):
    instrument = get_instrument(instrument_id)
    return {i.id: value if value is not None else i.allowed_values()[1] for i in instrument.items}


@pytest.mark.parametrize("instrument_id", sorted(load_instruments()))
def test_every_questionnaire_parses_and_keeps_its_items(instrument_id):
    instrument = get_instrument(instrument_id)
    exported = fhir.questionnaire(instrument)
    parsed = Questionnaire.model_validate(exported)
    assert parsed.url == f"https://kneadwell.org/fhir/Questionnaire/{instrument_id}"
    assert parsed.version == instrument.version
    assert parsed.status == "active"
    scored = [i for i in parsed.item if i.linkId in {it.id for it in instrument.items}]
    assert [i.linkId for i in scored] == [i.id for i in instrument.items]
    for spec, item in zip(instrument.items, scored, strict=True):
        if spec.kind == "choice":
            assert item.type == "choice"
            codes = [o.valueCoding.code for o in item.answerOption]
            assert codes == [str(o.value) for o in spec.options]
            ordinals = [o.extension[0].valueDecimal for o in item.answerOption]
            assert ordinals == [o.score for o in spec.options]
        elif spec.kind == "scale":
            assert item.type == "integer"
            assert [e.valueInteger for e in item.extension] == [spec.min, spec.max]
        else:
            assert item.type == "boolean"


@pytest.mark.parametrize(
    "instrument_id", [i for i, x in sorted(load_instruments().items()) if not x.licence.ships_text]
)
def test_a_questionnaire_carries_no_licensed_wording(instrument_id):
    instrument = get_instrument(instrument_id)
    parsed = Questionnaire.model_validate(fhir.questionnaire(instrument))
    titles = {i.id: i.title for i in instrument.items}
    for item in parsed.item:
        if item.linkId in titles:
            assert item.text == titles[item.linkId]
        for option in item.answerOption or []:
            assert option.valueCoding.display is None
    assert "not included" in parsed.description


def test_it_codes_questionnaires_with_loinc_where_it_exists_and_locally_otherwise():
    odi = Questionnaire.model_validate(fhir.questionnaire("odi"))
    assert (odi.code[0].system, odi.code[0].code) == ("http://loinc.org", "97908-8")
    psfs = Questionnaire.model_validate(fhir.questionnaire("psfs"))
    assert (psfs.code[0].system, psfs.code[0].code) == (fhir.INSTRUMENTS_SYSTEM, "psfs")
    peg = Questionnaire.model_validate(fhir.questionnaire("peg"))
    assert [i.code[0].code for i in peg.item] == ["75893-8", "91145-3", "91146-1"]


def test_the_pgic_questionnaire_ships_its_public_domain_labels():
    parsed = Questionnaire.model_validate(fhir.questionnaire("pgic"))
    displays = [o.valueCoding.display for o in parsed.item[0].answerOption]
    assert displays[0] == "Very much improved"
    assert len(displays) == 7


@pytest.mark.parametrize("instrument_id", sorted(load_instruments()))
def test_every_response_round_trips(instrument_id):
    instrument = get_instrument(instrument_id)
    answers = complete(instrument_id)
    context = {"recall": "now"} if instrument_id == "nprs" else {}
    exported = fhir.questionnaire_response(instrument, answers, WHEN, PATIENT, "r-1", **context)
    parsed = QuestionnaireResponse.model_validate(exported)
    assert parsed.id == "r-1"
    assert parsed.questionnaire == f"{fhir.questionnaire_url(instrument)}|{instrument.version}"
    assert parsed.status == "completed"
    assert parsed.subject.reference == PATIENT
    assert parsed.authored.isoformat() == WHEN.isoformat()
    by_link = {i.linkId: i.answer for i in parsed.item}
    for spec in instrument.items:
        answer = by_link[spec.id][0]
        value = answers[spec.id]
        if spec.kind == "choice":
            assert answer.valueCoding.code == str(value)
            assert answer.extension[0].valueDecimal == spec.score_of(value)
        elif spec.kind == "scale":
            assert answer.valueInteger == value
        else:
            assert answer.valueBoolean is (value == 1)


def test_a_response_stores_the_nprs_recall_period_and_psfs_activities():
    nprs = QuestionnaireResponse.model_validate(
        fhir.questionnaire_response("nprs", {"1": 6}, WHEN, PATIENT, "r-2", recall="worst_24h")
    )
    assert nprs.item[0].linkId == "recall"
    assert nprs.item[0].answer[0].valueCoding.code == "worst_24h"
    psfs = QuestionnaireResponse.model_validate(
        fhir.questionnaire_response(
            "psfs", {"1": 4}, WHEN, PATIENT, "r-3", activities={"1": "Gardening"}
        )
    )
    assert [(i.linkId, i.answer[0].valueString or i.answer[0].valueInteger) for i in psfs.item] == [
        ("activities-1", "Gardening"),
        ("1", 4),
    ]


def test_a_response_leaves_missing_answers_out():
    answers = complete("odi", 2)
    del answers["7"]
    parsed = QuestionnaireResponse.model_validate(
        fhir.questionnaire_response("odi", answers, WHEN, PATIENT, "r-4")
    )
    assert "7" not in [i.linkId for i in parsed.item]
    assert len(parsed.item) == 9


def test_a_response_refuses_invalid_answers_and_naive_times():
    with pytest.raises(AnswerError, match="ODI item 1"):
        fhir.questionnaire_response("odi", {"1": 9}, WHEN, PATIENT, "r-5")
    with pytest.raises(ValueError, match="time zone"):
        fhir.questionnaire_response("odi", {"1": 1}, datetime(2025, 1, 1), PATIENT, "r-5")


def test_it_exports_one_survey_observation_per_score():
    result = score("startback", {str(n): 1 for n in range(1, 9)} | {"9": 5})
    observations = [
        Observation.model_validate(o)
        for o in fhir.score_observations("startback", result, WHEN, PATIENT, RESPONSE)
    ]
    assert [o.code.coding[-1].code for o in observations] == [
        "startback-score",
        "startback-distress",
    ]
    assert [o.valueQuantity.value for o in observations] == [9, 5]
    for o in observations:
        assert o.status == "final"
        assert o.category[0].coding[0].code == "survey"
        assert o.category[0].coding[0].system == fhir.OBSERVATION_CATEGORY
        assert (o.valueQuantity.unit, o.valueQuantity.code) == ("{score}", "{score}")
        assert o.valueQuantity.system == "http://unitsofmeasure.org"
        assert o.derivedFrom[0].reference == RESPONSE
        assert o.subject.reference == PATIENT
        assert o.effectiveDateTime.isoformat() == WHEN.isoformat()
        assert o.method.coding[0].code == "complete"
    assert observations[0].interpretation[0].text == "high"


def test_it_codes_the_odi_score_with_loinc_and_its_display_value():
    answers = complete("odi", 2)
    answers["9"] = answers["10"] = 0
    del answers["7"]
    result = score("odi", answers)
    [observation] = [
        Observation.model_validate(o)
        for o in fhir.score_observations("odi", result, WHEN, PATIENT, RESPONSE)
    ]
    assert observation.code.coding[0].system == "http://loinc.org"
    assert observation.code.coding[0].code == "97909-6"
    assert float(observation.valueQuantity.value) == 31.1  # 14 ÷ 45 × 100
    assert observation.method.coding[0].code == "answered_max1"
    assert observation.note[0].text.startswith("Missing items were filled")


def test_an_nprs_observation_carries_its_recall_period():
    result = score("nprs", {"1": 6}, recall="average_week")
    [observation] = [
        Observation.model_validate(o)
        for o in fhir.score_observations("nprs", result, WHEN, PATIENT, RESPONSE)
    ]
    assert observation.code.coding[0].code == "72514-3"
    assert observation.component[0].valueCodeableConcept.coding[0].code == "average_week"


def test_it_skips_a_zcq_subscale_that_was_not_asked():
    result = score("zcq", complete("zcq", 2) | {str(n): None for n in range(13, 19)})
    observations = fhir.score_observations("zcq", result, WHEN, PATIENT, RESPONSE)
    codes = [o["code"]["coding"][-1]["code"] for o in observations]
    assert codes == ["zcq-symptom_severity", "zcq-physical_function"]
