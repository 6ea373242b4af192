"""Applying a clinic's adjustments to the built-in rules (pure), and per clinic (database)."""

import pytest

from kneadwell.accounts.models import Clinic
from kneadwell.knowledge.adjust import Adjustment, apply_adjustments, effective_rules
from kneadwell.knowledge.loader import load_knowledge
from kneadwell.knowledge.models import RuleAdjustment

RULES = load_knowledge().rules


def _caps(rule):
    return [effect.max_pressure for effect in rule.effects if effect.kind == "cap_pressure"]


def test_without_adjustments_every_rule_is_unchanged():
    assert apply_adjustments(RULES, []) == dict(RULES)


def test_a_disabled_rule_is_dropped():
    effective = apply_adjustments(RULES, [Adjustment("anticoagulant", enabled=False)])
    assert "anticoagulant" not in effective
    assert len(effective) == len(RULES) - 1


def test_it_replaces_the_tier():
    effective = apply_adjustments(RULES, [Adjustment("anticoagulant", tier="soon")])
    assert effective["anticoagulant"].tier == "soon"
    assert RULES["anticoagulant"].tier == "caution"  # the built-in rule is untouched


def test_it_replaces_the_level_of_every_pressure_cap_and_keeps_other_effects():
    effective = apply_adjustments(RULES, [Adjustment("anticoagulant", max_pressure=2)])
    adjusted, built_in = effective["anticoagulant"], RULES["anticoagulant"]
    assert _caps(adjusted) == [2] * len(_caps(built_in))
    assert [e.kind for e in adjusted.effects] == [e.kind for e in built_in.effects]
    assert _caps(built_in) == [3]


def test_a_pressure_override_leaves_a_rule_without_a_cap_alone():
    effective = apply_adjustments(RULES, [Adjustment("dvt_known", max_pressure=1)])
    assert effective["dvt_known"] == RULES["dvt_known"]


def test_adjustments_for_rules_that_no_longer_exist_are_ignored():
    effective = apply_adjustments(RULES, [Adjustment("retired_rule", enabled=False)])
    assert effective == dict(RULES)


def test_it_does_not_change_the_mapping_it_was_given():
    rules = dict(RULES)
    apply_adjustments(rules, [Adjustment("anticoagulant", enabled=False)])
    assert "anticoagulant" in rules


@pytest.mark.django_db
def test_an_adjustment_changes_the_rules_for_that_clinic_only(clinic, owner):
    other = Clinic.objects.create(name="Elsewhere Clinic")
    RuleAdjustment.objects.create(
        clinic=clinic, rule_id="anticoagulant", max_pressure=2, tier="soon", note="Policy"
    )
    RuleAdjustment.objects.create(
        clinic=clinic, rule_id="antiplatelet", enabled=False, note="Policy"
    )
    ours, theirs = effective_rules(clinic.pk), effective_rules(other.pk)
    assert _caps(ours["anticoagulant"]) == [2] and ours["anticoagulant"].tier == "soon"
    assert "antiplatelet" not in ours
    assert theirs == dict(RULES)


@pytest.mark.django_db
def test_effective_rules_makes_one_query(clinic, django_assert_num_queries):
    RuleAdjustment.objects.create(clinic=clinic, rule_id="anticoagulant", tier="soon", note="x")
    with django_assert_num_queries(1):
        effective_rules(clinic.pk)
