"""The screening engine, table-driven over the whole knowledge base: every rule and red flag."""

import pytest

from kneadwell.knowledge.loader import load_knowledge
from kneadwell.screening.engine import (
    Finding,
    ScreeningAnswers,
    TreatmentItem,
    blocking_findings,
    blocks_treatment,
    check_treatment,
    evaluate,
)

KB = load_knowledge()
RULES = KB.rules
FIELD = {
    "condition": "conditions",
    "medication_class": "medication_classes",
    "history": "history",
    "finding": "findings",
    "region_treated": "treated_regions",
    "pain_area": "pain_areas",
}
SIMPLE = {kind for kind in FIELD} | {"answer"}


def answers_with(triggers, **extra) -> ScreeningAnswers:
    """Answers that contain exactly these (kind, value) triggers or cues."""
    values: dict = {name: set() for name in FIELD.values()}
    red_flags = {}
    age = extra.pop("age", None)
    for kind, value in triggers:
        if kind == "answer":
            red_flags[value] = True
        elif kind == "age_over":
            age = int(value) + 1
        else:
            values[FIELD[kind]].add(value)
    fields = {name: frozenset(ids) for name, ids in values.items()}
    return ScreeningAnswers(red_flags=red_flags, age=age, **fields, **extra)


def answers_for(rule, **extra) -> ScreeningAnswers:
    """The least that makes the rule fire: its trigger, its week, or just enough features."""
    trigger = rule.trigger
    if trigger.kind == "pregnancy_week":
        return answers_with([], pregnancy_week=trigger.from_week, **extra)
    if trigger.kind == "combination":
        chosen = [f for f in trigger.features if f.id in trigger.must_include]
        chosen += [f for f in trigger.features if f not in chosen][: trigger.at_least - len(chosen)]
        cues = [(f.any_of[0].kind, f.any_of[0].value) for f in chosen]
        return answers_with(cues, **extra)
    return answers_with([(trigger.kind, trigger.value)], **extra)


def ids(findings) -> set[str]:
    return {f.id for f in findings}


SIMPLE_TRIGGERS = {
    (r.trigger.kind, r.trigger.value) for r in RULES.values() if r.trigger.kind in SIMPLE
}


@pytest.mark.parametrize("rule_id", list(RULES))
def test_every_rule_fires_on_its_trigger(rule_id):
    rule = RULES[rule_id]
    findings = evaluate(answers_for(rule), RULES, KB)
    finding = next(f for f in findings if f.id == f"rule:{rule_id}")
    assert finding.tier == rule.tier
    assert finding.reason.startswith(rule.reason)
    assert finding.sources == tuple(rule.sources)
    assert [r.kind for r in finding.restrictions] == [e.kind for e in rule.effects]
    tier = KB.tiers[rule.tier]
    assert finding.blocks == (tier.blocks_treatment or rule.defers)
    assert finding.referral_due_days == tier.referral_due_days


@pytest.mark.parametrize(
    "rule_id", [r for r in RULES if RULES[r].trigger.kind in SIMPLE | {"pregnancy_week"}]
)
def test_no_rule_fires_without_its_trigger(rule_id):
    rule = RULES[rule_id]
    others = SIMPLE_TRIGGERS - {(rule.trigger.kind, rule.trigger.value)}
    if rule.trigger.kind == "pregnancy_week":
        others_answers = answers_with(others, pregnancy_week=rule.trigger.from_week - 1)
    else:
        others_answers = answers_with(others)
    assert f"rule:{rule_id}" not in ids(evaluate(others_answers, RULES, KB))
    assert f"rule:{rule_id}" not in ids(evaluate(ScreeningAnswers(), RULES, KB))


@pytest.mark.parametrize("rule_id", [r for r in RULES if RULES[r].trigger.kind == "combination"])
def test_a_combination_rule_needs_enough_features_and_its_required_ones(rule_id):
    trigger = RULES[rule_id].trigger
    for feature in trigger.features:
        for cue in feature.any_of:
            # one feature alone (shown by any of its cues) never reaches two
            alone = answers_with([(cue.kind, cue.value)])
            assert f"rule:{rule_id}" not in ids(evaluate(alone, RULES, KB)), cue
    optional = [f for f in trigger.features if f.id not in trigger.must_include]
    if trigger.must_include:
        without = answers_with([(f.any_of[0].kind, f.any_of[0].value) for f in optional])
        assert f"rule:{rule_id}" not in ids(evaluate(without, RULES, KB))


@pytest.mark.parametrize("flag_id", list(KB.red_flags))
def test_every_red_flag_acts_on_yes_as_its_data_says(flag_id):
    flag = KB.red_flags[flag_id]
    yes = evaluate(ScreeningAnswers(red_flags={flag_id: True}), RULES, KB)
    finding = next((f for f in yes if f.id == f"red_flag:{flag_id}"), None)
    if not flag.on_its_own:
        assert finding is None  # a weak feature: only the combination rules read it
        return
    tier = KB.tiers[flag.tier]
    assert finding.tier == flag.tier
    assert finding.action == flag.action
    assert [r.kind for r in finding.restrictions] == [e.kind for e in flag.effects]
    assert finding.blocks == (tier.blocks_treatment or any(e.kind == "defer" for e in flag.effects))
    assert finding.referral_due_days == tier.referral_due_days
    no = evaluate(ScreeningAnswers(red_flags={flag_id: False}), RULES, KB)
    assert f"red_flag:{flag_id}" not in ids(no)


def test_nothing_is_found_in_empty_answers():
    assert evaluate(ScreeningAnswers(), RULES, KB) == []


def test_findings_come_most_urgent_first():
    answers = answers_with(
        [("medication_class", "anticoagulant"), ("answer", "ces_bladder"), ("finding", "fever")]
    )
    tiers = [f.tier for f in evaluate(answers, RULES, KB)]
    assert tiers[0] == "emergency"
    assert tiers == sorted(tiers, key=["emergency", "urgent", "soon", "caution"].index)


def test_anticoagulant_and_osteoporosis_combine_their_caps_and_techniques():
    answers = answers_with([("medication_class", "anticoagulant"), ("history", "osteoporosis")])
    findings = evaluate(answers, RULES, KB)
    assert ids(findings) == {"rule:anticoagulant", "rule:osteoporosis"}
    violations = check_treatment(
        findings,
        [
            {"technique": "swedish", "region": "low_back", "pressure": 4},
            {"technique": "tapotement", "region": "calf_left", "pressure": 2},
            {"technique": "gentle_mobilisation", "region": "knee_left", "pressure": 2},
        ],
    )
    kinds = {(v.finding_id, v.kind, v.region) for v in violations}
    assert ("rule:anticoagulant", "pressure", "low_back") in kinds
    assert ("rule:osteoporosis", "pressure", "low_back") in kinds  # spine cap reaches low_back
    assert ("rule:anticoagulant", "technique", "calf_left") in kinds
    assert ("rule:osteoporosis", "technique", "calf_left") in kinds
    assert ("rule:osteoporosis", "technique", "knee_left") in kinds


def test_sciatica_with_a_cauda_equina_yes_blocks_and_still_caps_the_buttocks():
    answers = answers_with([("condition", "sciatica"), ("answer", "ces_saddle_numbness")])
    findings = evaluate(answers, RULES, KB)
    assert blocks_treatment(findings, cleared=set())
    item = TreatmentItem("swedish", "buttock_left", 4)
    assert [v.finding_id for v in check_treatment(findings, [item])] == ["rule:sciatica_nerve_path"]


def test_an_avoided_group_region_covers_every_region_inside_it():
    findings = evaluate(answers_with([("history", "suspected_dvt")]), RULES, KB)
    avoid = next(r for r in findings[0].restrictions if r.kind == "avoid_region")
    assert {"calf_left", "foot_right", "thigh_back_left", "leg_left", "legs"} <= set(avoid.regions)
    assert "low_back" not in avoid.regions


def test_the_affected_area_is_the_one_recorded_with_the_trigger():
    answers = answers_with(
        [("history", "recent_surgery")], areas={"recent_surgery": frozenset({"knee_right"})}
    )
    finding = evaluate(answers, RULES, KB)[0]
    assert finding.restrictions[0].regions == ("knee_right",)
    forbidden = check_treatment([finding], [TreatmentItem("swedish", "knee_right", 1)])
    allowed = check_treatment([finding], [TreatmentItem("swedish", "knee_left", 3)])
    assert [v.kind for v in forbidden] == ["region"]
    assert allowed == []


def test_an_unmarked_affected_area_is_flagged_not_guessed():
    finding = evaluate(answers_with([("history", "recent_surgery")]), RULES, KB)[0]
    assert finding.restrictions[0].unmarked
    assert check_treatment([finding], [TreatmentItem("swedish", "knee_right", 1)]) == []


def test_a_technique_forbidden_only_in_a_region_is_allowed_elsewhere():
    answers = answers_with([("answer", "cancer_history"), ("answer", "night_rest_pain")])
    findings = evaluate(answers, RULES, KB)
    mobilise = "gentle_mobilisation"
    spine = check_treatment(findings, [TreatmentItem(mobilise, "low_back", 2)])
    knee = check_treatment(findings, [TreatmentItem(mobilise, "knee_left", 2)])
    assert "technique" in {v.kind for v in spine}
    assert knee == []


def test_a_pregnancy_week_implies_pregnancy_and_the_positioning_rule_from_its_week():
    early = evaluate(ScreeningAnswers(pregnancy_week=19), RULES, KB)
    late = evaluate(ScreeningAnswers(pregnancy_week=20), RULES, KB)
    assert ids(early) == {"rule:pregnancy"}
    assert ids(late) == {"rule:pregnancy", "rule:pregnancy_20_weeks"}


def test_pain_in_the_neck_brings_the_neck_rule_before_any_treatment():
    findings = evaluate(ScreeningAnswers(pain_areas=frozenset({"neck_posterior"})), RULES, KB)
    assert ids(findings) == {"rule:neck_any_posterior"}


def test_a_systemic_deferral_blocks_whatever_its_tier_and_is_not_a_violation():
    findings = evaluate(answers_with([("finding", "fever")]), RULES, KB)
    assert findings[0].tier == "caution"
    assert blocks_treatment(findings, cleared=set())
    assert check_treatment(findings, [TreatmentItem("swedish", "low_back", 2)]) == []


def test_an_urgent_finding_without_a_deferral_does_not_block():
    findings = evaluate(ScreeningAnswers(red_flags={"foot_drop": True}), RULES, KB)
    assert [f.tier for f in findings] == ["urgent"]
    assert not blocks_treatment(findings, cleared=set())
    assert findings[0].referral_due_days == 0


def test_a_clearance_by_finding_or_rule_id_lifts_the_block():
    findings = evaluate(answers_with([("history", "known_dvt")]), RULES, KB)
    assert blocks_treatment(findings, cleared=set())
    assert not blocks_treatment(findings, cleared={"rule:dvt_known"})
    assert not blocks_treatment(findings, cleared={"dvt_known"})
    assert blocking_findings(findings, cleared={"other"}) == findings


def test_findings_round_trip_through_json_shaped_dicts():
    answers = answers_with(
        [("history", "recent_surgery"), ("answer", "ces_bladder"), ("condition", "sciatica")]
    )
    for finding in evaluate(answers, RULES, KB):
        assert Finding.from_dict(finding.to_dict()) == finding


def test_answers_read_back_from_stored_json():
    data = {
        "conditions": ["sciatica"],
        "red_flags": {"ces_bladder": False, "foot_drop": True},
        "areas": {"recent_fracture": ["forearm_left"]},
        "goals": "walk further",
    }
    answers = ScreeningAnswers.from_dict(data)
    assert answers.conditions == {"sciatica"}
    assert answers.areas["recent_fracture"] == {"forearm_left"}
    assert "red_flag:foot_drop" in ids(evaluate(answers, RULES, KB))


def test_given_the_knowledge_base_messages_name_regions_and_techniques_not_ids():
    answers = answers_with(
        [("history", "recent_surgery")], areas={"recent_surgery": frozenset({"knee_right"})}
    )
    findings = evaluate(answers, RULES, KB)
    [violation] = check_treatment(findings, [TreatmentItem("swedish", "knee_right", 1)], KB)
    assert "do not work on the right knee" in violation.message.lower()
    assert "knee_right" not in violation.message
    # A history of cancer with night pain: two malignancy features (FACTS §4).
    cancer = evaluate(
        answers_with([("answer", "cancer_history"), ("answer", "night_rest_pain")]), RULES, KB
    )
    items = [TreatmentItem("gentle_mobilisation", "low_back", 2)]
    messages = " ".join(v.message for v in check_treatment(cancer, items, KB))
    assert KB.techniques["gentle_mobilisation"].name in messages
    assert "gentle_mobilisation" not in messages and "low_back" not in messages
