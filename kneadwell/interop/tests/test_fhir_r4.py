"""The FHIR export read back by a second, independent library with FHIR R4 (4.0.1) models:
SMART on FHIR's client-py, in strict mode, compared field by field after a round trip."""

from datetime import UTC, datetime

import pytest
from fhirclient.models.bundle import Bundle
from fhirclient.models.observation import Observation
from fhirclient.models.questionnaire import Questionnaire
from fhirclient.models.questionnaireresponse import QuestionnaireResponse

from kneadwell.interop import fhir
from kneadwell.knowledge.instruments.registry import get_instrument, load_instruments
from kneadwell.knowledge.instruments.scoring import score

WHEN = datetime(2026, 3, 4, 9, 30, tzinfo=UTC)
CONTEXT = {"nprs": {"recall": "average_week"}, "psfs": {"activities": {"1": "Gardening"}}}


def _answers(instrument_id):
    instrument = get_instrument(instrument_id)
    answers = {i.id: i.allowed_values()[1] for i in instrument.items}
    if instrument_id == "psfs":
        answers = {"1": 4}
    return answers


def _same(exported, parsed_json):
    """Every field we wrote comes back unchanged (the library adds nothing we did not send)."""
    assert parsed_json == exported


@pytest.mark.parametrize("instrument_id", sorted(load_instruments()))
def test_every_questionnaire_is_valid_r4(instrument_id):
    exported = fhir.questionnaire(get_instrument(instrument_id))
    parsed = Questionnaire(exported, strict=True)
    _same(exported, parsed.as_json())


@pytest.mark.parametrize("instrument_id", sorted(load_instruments()))
def test_every_response_and_its_observations_are_valid_r4(instrument_id):
    answers, context = _answers(instrument_id), CONTEXT.get(instrument_id, {})
    response = fhir.questionnaire_response(
        instrument_id, answers, WHEN, "Patient/7", "r-1", **context
    )
    _same(response, QuestionnaireResponse(response, strict=True).as_json())
    result = score(instrument_id, answers, **context)
    for observation in fhir.score_observations(
        instrument_id, result, WHEN, "Patient/7", "QuestionnaireResponse/r-1"
    ):
        parsed = Observation(observation, strict=True)
        assert parsed.category[0].coding[0].code == "survey"
        assert parsed.derivedFrom[0].reference == "QuestionnaireResponse/r-1"
        _same(observation, parsed.as_json())


def test_a_response_bundle_is_valid_r4():
    answers = _answers("odi")
    bundle = fhir.response_bundle("odi", answers, score("odi", answers), WHEN, "Patient/7", "r-2")
    parsed = Bundle(bundle, strict=True)
    assert parsed.type == "collection"
    kinds = [entry.resource.resource_type for entry in parsed.entry]
    assert kinds[0] == "QuestionnaireResponse" and set(kinds[1:]) == {"Observation"}
    _same(bundle, parsed.as_json())
