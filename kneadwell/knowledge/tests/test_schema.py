"""Behaviour of the entry models on their own, without the data files."""

import pytest
from pydantic import ValidationError

from kneadwell.knowledge.schema import (
    Condition,
    ContraindicationRule,
    Effect,
    EvidenceStatement,
    Handout,
    Source,
    Technique,
)


def _condition(**overrides):
    data = {
        "id": "chronic_lbp",
        "name": "Chronic low back pain",
        "icd10cm": [{"code": "M54.50", "display": "Low back pain", "verification": "checked"}],
        "description": "Long-lasting low back pain.",
        "typical_symptoms": ["Pain"],
        "measures": {"baseline": ["nprs"], "every_visit": ["nprs"], "periodic": ["rmdq"]},
        "rescreen_every_visit": False,
        "sources": ["furlan_2015"],
        "verification": "checked",
    }
    return Condition.model_validate({**data, **overrides})


def _claim(**overrides):
    data = {
        "id": "claim_toxins",
        "kind": "claim",
        "condition": None,
        "intervention": "massage",
        "outcome": "Toxins",
        "direction": "not_supported",
        "certainty": None,
        "grade": "not_supported",
        "keywords": ["toxin"],
        "time_frame": "Not applicable",
        "summary_therapist": "No toxin identified.",
        "summary_client": "Massage does not flush toxins.",
        "myth_busting": True,
        "sources": ["wiltshire_2010"],
        "verification": "checked",
        "note": "Not graded by certainty.",
    }
    return EvidenceStatement.model_validate({**data, **overrides})


def test_it_rejects_unknown_fields():
    with pytest.raises(ValidationError, match="extra"):
        Source.model_validate({"id": "x", "citation": "A", "colour": "red"})


def test_entries_are_frozen():
    source = Source(id="x", citation="A")
    with pytest.raises(ValidationError):
        source.citation = "B"


@pytest.mark.parametrize("bad_id", ["Chronic", "has space", "", "_leading", "trailing-"])
def test_it_rejects_ids_that_are_not_lowercase_snake_or_kebab(bad_id):
    with pytest.raises(ValidationError):
        Source(id=bad_id, citation="A")


def test_it_rejects_an_icd_code_that_is_not_written_like_icd10cm():
    with pytest.raises(ValidationError, match="ICD-10-CM"):
        _condition(icd10cm=[{"code": "m54-50", "display": "x", "verification": "checked"}])


def test_a_condition_needs_at_least_one_source():
    with pytest.raises(ValidationError):
        _condition(sources=[])


def test_it_rejects_a_technique_whose_pressure_range_is_upside_down():
    with pytest.raises(ValidationError, match="pressure_min"):
        Technique(
            id="t",
            name="T",
            description="d",
            pressure_min=4,
            pressure_max=2,
            limits="l",
            sources=["walton_2011"],
            verification="unconfirmed",
        )


def test_it_rejects_pressure_outside_the_five_level_scale():
    with pytest.raises(ValidationError):
        Effect(kind="cap_pressure", max_pressure=6)


def test_a_cap_pressure_effect_needs_a_level():
    with pytest.raises(ValidationError, match="needs max_pressure"):
        Effect(kind="cap_pressure")


def test_an_avoid_region_effect_does_not_take_a_technique():
    with pytest.raises(ValidationError, match="does not take technique"):
        Effect(kind="avoid_region", region="legs", technique="deep_tissue")


def test_a_rule_needs_at_least_one_effect_and_a_source():
    data = {
        "id": "r",
        "name": "R",
        "trigger": {"kind": "history", "value": "osteoporosis"},
        "effects": [],
        "tier": "caution",
        "reason": "r",
        "basis": "expert_consensus",
        "sources": [],
        "verification": "checked",
    }
    with pytest.raises(ValidationError) as error:
        ContraindicationRule.model_validate(data)
    fields = {detail["loc"][0] for detail in error.value.errors()}
    assert fields == {"effects", "sources", "facts"}


def test_a_claim_needs_a_grade_and_keywords():
    with pytest.raises(ValidationError, match="grade"):
        _claim(grade=None)
    with pytest.raises(ValidationError, match="keywords"):
        _claim(keywords=[])


def test_an_unsupported_claim_must_mark_its_client_summary_as_myth_busting():
    with pytest.raises(ValidationError, match="myth_busting"):
        _claim(myth_busting=False)


def test_a_statement_without_certainty_must_say_why():
    with pytest.raises(ValidationError, match="note"):
        _claim(note="")


def test_handout_paragraphs_can_be_written_as_plain_strings():
    handout = Handout.model_validate(
        {
            "id": "h",
            "condition": "chronic_lbp",
            "title": "T",
            "can_do": ["May ease pain."],
            "cannot_do": [{"text": "Does not flush toxins.", "myth_busting": True}],
            "what_to_expect": ["Soreness."],
            "urgent_care": ["Go to hospital if..."],
            "self_care": ["Keep moving."],
            "sources": ["furlan_2015"],
            "verification": "checked",
        }
    )
    paragraphs = dict(handout.paragraphs())
    assert paragraphs["can_do[0]"].myth_busting is False
    assert paragraphs["cannot_do[0]"].myth_busting is True
