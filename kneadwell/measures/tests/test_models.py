"""Response, LicensedText and InstrumentSetting: scores always computed, the rule stored."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from kneadwell.knowledge.instruments.registry import LicensedTextError
from kneadwell.knowledge.instruments.scoring import AnswerError, score
from kneadwell.measures.models import InstrumentSetting, LicensedText, Response
from kneadwell.measures.tests.helpers import ODI_LICENSED, odi_answers


def test_a_response_stores_exactly_what_the_scoring_computes(client_record):
    answers = odi_answers(2, 2, 2, 2, 2, 2, 2, 2, [1, 3], None)
    saved = Response.record(client_record, "odi", answers)
    expected = score("odi", answers)
    assert saved.score == expected.score
    assert (saved.band, saved.rule, saved.prorated) == (expected.band, expected.rule, True)
    assert saved.instrument_version == "2.1a"
    assert "10" not in saved.answers
    assert any("more than one answer" in n for n in saved.notes)
    assert saved.display_score == 42.2  # 19 points over 9 sections


def test_the_stored_result_matches_a_fresh_score(client_record):
    saved = Response.record(client_record, "zcq", {str(n): 2 for n in range(1, 13)})
    fresh = score("zcq", {str(n): 2 for n in range(1, 13)})
    assert saved.result() == fresh
    assert saved.score is None
    assert saved.subscores["satisfaction"] is None


def test_an_invalid_answer_saves_nothing(client_record):
    with pytest.raises(AnswerError) as error:
        Response.record(client_record, "sbi", {"1": 7})
    assert error.value.item == "1"
    assert not Response.objects.exists()


def test_the_clinics_rule_applies_unless_another_is_given(client_record):
    InstrumentSetting.objects.create(
        clinic=client_record.clinic, instrument="rmdq", missing_rule="score_regardless"
    )
    answers = {str(n): 1 for n in range(1, 21)}  # four statements left out
    assert Response.build(client_record, "rmdq", answers).rule == "score_regardless"
    with pytest.raises(AnswerError):
        Response.build(client_record, "rmdq", answers, rule="complete")


def test_a_setting_names_one_of_the_instruments_rules(clinic):
    with pytest.raises(ValidationError):
        InstrumentSetting(clinic=clinic, instrument="odi", missing_rule="zero").full_clean()
    InstrumentSetting.objects.create(clinic=clinic, instrument="odi", missing_rule="answered_max2")
    with pytest.raises(IntegrityError):
        InstrumentSetting.objects.create(
            clinic=clinic, instrument="odi", missing_rule="answered_max1"
        )


def test_licensed_text_is_checked_and_kept_per_clinic(clinic, outsider):
    LicensedText.install(clinic, ODI_LICENSED)
    with pytest.raises(LicensedTextError):
        LicensedText.install(clinic, ODI_LICENSED | {"version": "2.0"})
    from kneadwell.knowledge.instruments.registry import get_instrument

    odi = get_instrument("odi")
    assert LicensedText.for_form(clinic.pk, odi).items[0].text == "Licensed question 1"
    assert LicensedText.for_form(outsider.membership.clinic_id, odi) is None


def test_a_response_must_record_its_rule(client_record):
    response = Response.build(client_record, "nprs", {"1": 3}, recall="now")
    response.rule = ""
    with pytest.raises(IntegrityError):
        response.save()
