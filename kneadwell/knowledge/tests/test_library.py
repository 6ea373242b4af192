"""Putting knowledge entries into words: codes, triggers, effects and links."""

from kneadwell.knowledge.library import effect_text, entry_url, label, trigger_text
from kneadwell.knowledge.loader import load_knowledge

KNOWLEDGE = load_knowledge()


def test_codes_read_as_words_and_unknown_codes_stay_readable():
    assert label("very_low") == "Very low"
    assert label("not_supported") == "Not supported"
    assert label("cauda_equina") == "Cauda equina"
    assert label(None) == "Not graded"


def test_triggers_name_what_sets_them_off():
    rule = KNOWLEDGE.rules["anticoagulant"]
    assert trigger_text(KNOWLEDGE, rule.trigger) == 'Medicine: Anticoagulant ("blood thinner")'
    combination = KNOWLEDGE.rules["spinal_malignancy_features"].trigger
    assert trigger_text(KNOWLEDGE, combination).startswith("At least 2 of these together: ")
    week = KNOWLEDGE.rules["pregnancy_20_weeks"].trigger
    assert trigger_text(KNOWLEDGE, week) == "Pregnancy from week 20 (clinic policy)"


def test_effects_read_as_instructions():
    effects = {e.kind: e for e in KNOWLEDGE.rules["anticoagulant"].effects}
    assert effect_text(KNOWLEDGE, effects["cap_pressure"]) == (
        "Pressure no higher than level 3 (typical relaxation pressure)."
    )
    assert effect_text(KNOWLEDGE, effects["avoid_technique"]).startswith("No ")
    region = next(e for e in KNOWLEDGE.rules["dvt_known"].effects if e.kind == "avoid_region")
    assert "affected area" in effect_text(KNOWLEDGE, region)


def test_entries_shown_among_many_link_to_their_anchor():
    assert entry_url("evidence", "acute_lbp_massage_first_line", KNOWLEDGE).endswith(
        "/library/evidence/#evidence-acute_lbp_massage_first_line"
    )
    assert entry_url("plans", "sciatica_plan", KNOWLEDGE).endswith(
        "/library/conditions/sciatica/#plan"
    )
    assert entry_url("findings", "fever", KNOWLEDGE).endswith("/library/vocabulary/#findings-fever")
