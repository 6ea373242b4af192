"""Every whole-session restriction in the knowledge base reaches the plan from a real screening."""

import pytest

from kneadwell.knowledge.loader import load_knowledge
from kneadwell.plans.safety import restrictions_for
from kneadwell.screening.enforce import NO_SCREENING, record_screening

K = load_knowledge()
ANSWER_KEYS = {
    "condition": "conditions",
    "medication_class": "medication_classes",
    "history": "history",
    "finding": "findings",
    "region_treated": "pain_areas",
}


def _answers(rule):
    kind, value = rule.trigger.kind, rule.trigger.value
    if kind == "answer":
        return {"red_flags": {value: True}}
    return {ANSWER_KEYS[kind]: [value]}


def _session_effects(kind):
    return [
        (rule.id, effect)
        for rule in K.rules.values()
        for effect in rule.effects
        if effect.kind == kind and effect.region is None
    ]


@pytest.mark.parametrize(("rule_id", "effect"), _session_effects("avoid_technique"))
def test_a_technique_the_screening_forbids_is_out_of_the_plan(
    rule_id, effect, client_record, therapist
):
    record_screening(client_record, _answers(K.rules[rule_id]), "intake", therapist)
    assert effect.technique in restrictions_for(client_record).avoid_techniques


@pytest.mark.parametrize(("rule_id", "effect"), _session_effects("cap_pressure"))
def test_a_pressure_cap_reaches_the_plan(rule_id, effect, client_record, therapist):
    record_screening(client_record, _answers(K.rules[rule_id]), "intake", therapist)
    cap = restrictions_for(client_record).max_pressure
    assert cap is not None and cap <= effect.max_pressure


@pytest.mark.parametrize(
    ("rule_id", "effect"),
    [
        (r.id, e)
        for r in K.rules.values()
        for e in r.effects
        if e.kind == "avoid_region" and e.region != "affected"
    ],
)
def test_a_region_the_screening_forbids_is_out_of_the_plan(
    rule_id, effect, client_record, therapist
):
    record_screening(client_record, _answers(K.rules[rule_id]), "intake", therapist)
    avoided = restrictions_for(client_record).avoid_regions
    assert K.region_and_descendants(effect.region) <= set(avoided)


def test_a_blocking_finding_blocks_the_plan_until_cleared(client_record, therapist):
    flag = next(f for f in K.red_flags.values() if f.tier == "emergency")
    screening = record_screening(client_record, {"red_flags": {flag.id: True}}, "intake", therapist)
    assert restrictions_for(client_record).is_blocked
    client_record.clearances.create(
        finding_ids=[f["id"] for f in screening.findings],
        physician_name="Dr. Who",
        cleared_on="2026-11-23",
        recorded_by=therapist,
    )
    assert not restrictions_for(client_record).is_blocked


def test_without_a_screening_the_plan_asks_for_the_intake(client_record):
    assert restrictions_for(client_record).blocked_reason == NO_SCREENING


def test_nothing_found_means_no_restrictions(client_record, therapist):
    record_screening(client_record, {"conditions": ["chronic_lbp"]}, "intake", therapist)
    restrictions = restrictions_for(client_record)
    assert not restrictions.is_blocked
    assert restrictions.avoid_techniques == {} and restrictions.max_pressure is None
