"""A clinic's adjustments to the built-in contraindication rules, applied to the rules.

``apply_adjustments`` is pure: rules and plain adjustment values in, effective rules out.
``effective_rules`` is its one database edge: the rules as one clinic has adjusted them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from kneadwell.knowledge.loader import load_knowledge
from kneadwell.knowledge.schema import ContraindicationRule, RuleTier


@dataclass(frozen=True)
class Adjustment:
    """One clinic's change to one rule. None means "keep the built-in value"."""

    rule_id: str
    enabled: bool = True
    tier: RuleTier | None = None
    max_pressure: int | None = None  # replaces the level of every cap_pressure effect
    from_week: int | None = None  # replaces a pregnancy_week trigger's week (clinic policy)


def apply_adjustments(
    rules: Mapping[str, ContraindicationRule], adjustments: Iterable[Adjustment]
) -> dict[str, ContraindicationRule]:
    """The rules with each adjustment applied: disabled rules dropped, tier and cap replaced.

    Adjustments for rules that are not in ``rules`` are ignored, so a rule retired from the
    data files does not break a clinic that once adjusted it.
    """
    effective = dict(rules)
    for adjustment in adjustments:
        rule = effective.get(adjustment.rule_id)
        if rule is None:
            continue
        if not adjustment.enabled:
            del effective[adjustment.rule_id]
            continue
        effective[rule.id] = adjust_rule(rule, adjustment)
    return effective


def adjust_rule(rule: ContraindicationRule, adjustment: Adjustment) -> ContraindicationRule:
    """One rule with the tier, pressure cap and pregnancy week of ``adjustment`` (its enabled
    flag is ignored)."""
    changes: dict[str, object] = {}
    if adjustment.from_week is not None and rule.trigger.kind == "pregnancy_week":
        changes["trigger"] = rule.trigger.model_copy(update={"from_week": adjustment.from_week})
    if adjustment.tier is not None:
        changes["tier"] = adjustment.tier
    if adjustment.max_pressure is not None:
        changes["effects"] = [
            effect.model_copy(update={"max_pressure": adjustment.max_pressure})
            if effect.kind == "cap_pressure"
            else effect
            for effect in rule.effects
        ]
    return rule.model_copy(update=changes) if changes else rule


def effective_rules(clinic_id: int) -> dict[str, ContraindicationRule]:
    """The knowledge-base rules as this clinic has adjusted them (one database query)."""
    # Imported here so the pure part of this module is usable without Django set up.
    from kneadwell.knowledge.models import RuleAdjustment

    adjustments = RuleAdjustment.objects.filter(clinic_id=clinic_id)
    return apply_adjustments(
        load_knowledge().rules, [adjustment.as_values() for adjustment in adjustments]
    )


def has_pregnancy_week(rule: ContraindicationRule) -> bool:
    """Whether the rule starts at a pregnancy week, so that a clinic may set its own week."""
    return rule.trigger.kind == "pregnancy_week"


def has_pressure_cap(rule: ContraindicationRule) -> bool:
    """Whether the rule caps pressure, so that a clinic may set its own cap."""
    return any(effect.kind == "cap_pressure" for effect in rule.effects)
