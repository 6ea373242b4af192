"""Drafting a plan from a template honours every kind of screening restriction."""

import pytest

from kneadwell.knowledge.loader import load_knowledge
from kneadwell.plans.build import Restrictions, draft_from_template, violations

K = load_knowledge()


@pytest.mark.parametrize("template_id", sorted(K.plans))
def test_every_template_drafts_without_restrictions(template_id):
    template = K.plans[template_id]
    draft = draft_from_template(template, K, Restrictions())
    assert draft.techniques == [p.technique for p in template.techniques]
    assert draft.removed == []
    assert 1 <= draft.max_pressure <= 5
    assert draft.convention == template.convention


def test_a_forbidden_technique_is_removed_with_its_reason():
    template = K.plan_for("chronic_lbp")
    draft = draft_from_template(
        template, K, Restrictions(avoid_techniques={"trigger_point": "Anticoagulant (caution)"})
    )
    assert "trigger_point" not in draft.techniques
    assert [(r.technique, r.reason) for r in draft.removed] == [
        ("trigger_point", "Anticoagulant (caution)")
    ]


def test_a_pressure_cap_lowers_pressure_and_drops_techniques_that_need_more():
    template = K.plan_for("chronic_lbp")
    draft = draft_from_template(
        template, K, Restrictions(max_pressure=2, max_pressure_reason="blood thinners")
    )
    assert draft.max_pressure == 2
    for technique in draft.techniques:
        assert K.techniques[technique].pressure_min <= 2
    for removed in draft.removed:
        assert K.techniques[removed.technique].pressure_min > 2
        assert "blood thinners" in removed.reason


def test_positioning_notes_come_through():
    draft = draft_from_template(
        K.plan_for("lss_with_nc"), K, Restrictions(positioning=("Side-lying after week 20",))
    )
    assert draft.positioning == ["Side-lying after week 20"]


def test_the_measures_follow_the_condition():
    draft = draft_from_template(K.plan_for("sciatica"), K, Restrictions())
    assert draft.measures["baseline"] == list(K.conditions["sciatica"].measures.baseline)


def test_editing_is_checked_against_the_same_restrictions():
    restrictions = Restrictions(
        avoid_techniques={"deep_tissue": "why"},
        avoid_regions={"calf_left": "clot"},
        max_pressure=3,
        max_pressure_reason="osteoporosis",
    )
    values = {"techniques": ["deep_tissue"], "max_pressure": 4, "focus_regions": ["calf_left"]}
    problems = violations(values, restrictions, K)
    assert set(problems) == {"techniques", "max_pressure", "focus_regions"}
    assert "osteoporosis" in problems["max_pressure"]
    assert violations({"techniques": ["swedish"], "max_pressure": 3}, restrictions, K) == {}
