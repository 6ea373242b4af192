"""RuleAdjustment: only real rules, one per clinic and rule, pressure on the scale."""

import pytest
from django.core.exceptions import ValidationError

from kneadwell.knowledge.adjust import Adjustment
from kneadwell.knowledge.models import RuleAdjustment


def test_it_rejects_a_rule_id_the_knowledge_base_does_not_have(clinic):
    adjustment = RuleAdjustment(clinic=clinic, rule_id="no_such_rule", note="x")
    with pytest.raises(ValidationError) as error:
        adjustment.full_clean()
    assert "There is no safety rule with the id no_such_rule." in str(error.value)


def test_a_clinic_adjusts_a_rule_only_once(clinic):
    RuleAdjustment.objects.create(clinic=clinic, rule_id="anticoagulant", tier="soon", note="x")
    again = RuleAdjustment(clinic=clinic, rule_id="anticoagulant", tier="urgent", note="y")
    with pytest.raises(ValidationError) as error:
        again.full_clean()
    assert "Your clinic has already adjusted this rule." in str(error.value)


def test_the_pressure_cap_must_be_on_the_five_level_scale(clinic):
    adjustment = RuleAdjustment(clinic=clinic, rule_id="anticoagulant", max_pressure=6, note="x")
    with pytest.raises(ValidationError) as error:
        adjustment.full_clean()
    assert "max_pressure" in error.value.message_dict


def test_it_gives_the_plain_values_the_rule_engine_works_with(clinic):
    adjustment = RuleAdjustment(clinic=clinic, rule_id="anticoagulant", max_pressure=2, note="x")
    assert adjustment.as_values() == Adjustment("anticoagulant", True, None, 2)
