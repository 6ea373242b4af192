"""Enforcement against the database: blocks, clearances, overrides and clinic adjustments."""

import pytest
from django.utils import timezone

from kneadwell.accounts.models import Clinic
from kneadwell.audit.models import AccessLogEntry, Action
from kneadwell.conftest import make_client, make_member
from kneadwell.knowledge.adjust import Adjustment, apply_adjustments
from kneadwell.knowledge.loader import load_knowledge
from kneadwell.knowledge.models import RuleAdjustment
from kneadwell.screening.enforce import (
    enforce,
    evaluate_for,
    latest_screening,
    record_checkin,
    record_intake,
)
from kneadwell.screening.engine import ScreeningAnswers, evaluate
from kneadwell.screening.models import Clearance, Override

KB = load_knowledge()
DEEP_LOW_BACK = [{"technique": "swedish", "region": "low_back", "pressure": 4}]


def intake(client, user, **answers):
    return record_intake(client, {"red_flags": {}, **answers}, user)[1]


def test_without_a_screening_treatment_is_blocked(client_record, therapist):
    result = enforce(client_record, DEEP_LOW_BACK, user=therapist)
    assert result.blocked and not result.allowed
    assert "Complete the intake" in result.message


def test_an_emergency_finding_blocks_without_an_override(client_record, therapist):
    intake(client_record, therapist, red_flags={"ces_bladder": True})
    result = enforce(client_record, [], user=therapist)
    assert result.blocked and not result.allowed
    assert [f.id for f in result.blocking] == ["red_flag:ces_bladder"]
    assert "physician's clearance" in result.message
    assert Override.objects.count() == 0


@pytest.mark.parametrize(
    "answers",
    [
        {"red_flags": {"ces_bladder": True}},  # emergency (FACTS §4)
        {"findings": ["fever"]},  # systemic deferral (FACTS §5)
        {"history": ["hypertension_uncontrolled"]},  # systemic deferral (FACTS §5)
        {"red_flags": {"suspected_dvt": True}},  # systemic deferral (FACTS §5 DVT)
    ],
)
def test_a_reason_never_lifts_an_emergency_or_a_systemic_deferral(
    client_record, therapist, answers
):
    intake(client_record, therapist, **answers)
    result = enforce(client_record, DEEP_LOW_BACK, override_reason="Client insists", user=therapist)
    assert result.blocked and not result.allowed
    assert Override.objects.count() == 0


def test_an_urgent_finding_restricts_but_does_not_block(client_record, therapist):
    intake(
        client_record,
        therapist,
        red_flags={"unexplained_weight_loss": True, "night_rest_pain": True},
    )
    result = enforce(client_record, DEEP_LOW_BACK, user=therapist)
    assert not result.blocked
    assert [(v.finding_id, v.kind) for v in result.violations] == [
        ("rule:spinal_malignancy_features", "pressure")
    ]
    light = enforce(client_record, [{"technique": "swedish", "region": "low_back", "pressure": 3}])
    assert light.allowed


def test_an_override_with_a_reason_allows_it_and_is_logged(client_record, therapist):
    intake(client_record, therapist, medication_classes=["anticoagulant"])
    result = enforce(client_record, DEEP_LOW_BACK, override_reason="Tested INR", user=therapist)
    assert result.allowed
    override = Override.objects.get()
    assert (override.finding_id, override.violation, override.pressure) == (
        "rule:anticoagulant",
        "pressure",
        4,
    )
    assert override.reason == "Tested INR" and override.by == therapist
    entry = AccessLogEntry.objects.get(action=Action.OVERRIDE)
    assert entry.client_id == client_record.pk
    assert entry.what == "safety override: Anticoagulant medicine (pressure)"


def test_a_blank_reason_is_no_override(client_record, therapist):
    intake(client_record, therapist, medication_classes=["anticoagulant"])
    result = enforce(client_record, DEEP_LOW_BACK, override_reason="   ", user=therapist)
    assert not result.allowed and len(result.violations) == 1
    assert Override.objects.count() == 0


def test_a_physician_clearance_lifts_the_block_but_not_the_restrictions(client_record, therapist):
    intake(client_record, therapist, history=["known_dvt"], areas={"known_dvt": ["calf_left"]})
    Clearance.objects.create(
        client=client_record,
        finding_ids=["rule:dvt_known"],
        physician_name="Dr Marsh",
        cleared_on=timezone.localdate(),
        recorded_by=therapist,
    )
    allowed = enforce(client_record, DEEP_LOW_BACK, user=therapist)
    assert allowed.allowed and not allowed.blocked
    calf = enforce(client_record, [{"technique": "swedish", "region": "calf_left", "pressure": 2}])
    assert [v.kind for v in calf.violations] == ["region"]


def test_a_new_screening_without_the_finding_lifts_the_block(client_record, therapist):
    intake(client_record, therapist, red_flags={"ces_both_legs": True})
    assert enforce(client_record, [], user=therapist).blocked
    intake(client_record, therapist, red_flags={"ces_both_legs": False})
    assert enforce(client_record, [], user=therapist).allowed


def test_a_checkin_without_a_fever_lifts_the_fever_deferral(client_record, therapist):
    screening = intake(client_record, therapist, findings=["fever", "varicose_veins"])
    assert enforce(client_record, [], user=therapist).blocked
    still = record_checkin(client_record, screening, {}, therapist, today={"fever": True})
    assert enforce(client_record, [], user=therapist).blocked
    record_checkin(client_record, still, {}, therapist, today={"fever": False})
    result = enforce(client_record, [], user=therapist)
    assert result.allowed
    assert "varicose_veins" in latest_screening(client_record).answers["findings"]


def test_a_checkin_can_lift_symptomatic_high_blood_pressure(client_record, therapist):
    screening = intake(client_record, therapist, history=["hypertension_uncontrolled"])
    assert enforce(client_record, [], user=therapist).blocked
    record_checkin(
        client_record, screening, {}, therapist, today={"hypertension_uncontrolled": False}
    )
    assert not enforce(client_record, [], user=therapist).blocked


def test_a_clearance_does_not_carry_over_to_a_finding_that_comes_back(client_record, therapist):
    intake(client_record, therapist, findings=["fever"])
    Clearance.objects.create(
        client=client_record,
        finding_ids=["fever"],
        physician_name="Dr Marsh",
        cleared_on=timezone.localdate(),
        recorded_by=therapist,
    )
    assert not enforce(client_record, [], user=therapist).blocked
    intake(client_record, therapist, findings=[])
    intake(client_record, therapist, findings=["fever"])
    assert enforce(client_record, [], user=therapist).blocked


def test_a_clearance_lifts_the_restrictions_that_last_until_cleared(client_record, therapist):
    intake(client_record, therapist, red_flags={"fragility_fracture": True})
    spine = [{"technique": "swedish", "region": "upper_back", "pressure": 2}]
    assert [v.kind for v in enforce(client_record, spine).violations] == ["region"]
    Clearance.objects.create(
        client=client_record,
        finding_ids=["red_flag:fragility_fracture"],
        physician_name="Dr Marsh",
        cleared_on=timezone.localdate(),
        recorded_by=therapist,
    )
    assert enforce(client_record, spine).allowed


def test_working_on_the_neck_brings_the_neck_rule_at_treatment(client_record, therapist):
    intake(client_record, therapist)
    item = [{"technique": "swedish", "region": "neck_anterior", "pressure": 3}]
    result = enforce(client_record, item, user=therapist)
    assert [v.finding_id for v in result.violations] == ["rule:neck_any"]


@pytest.mark.parametrize(
    ("adjustment", "expected_tier", "expected_cap"),
    [
        (Adjustment("anticoagulant", enabled=False), None, None),
        (Adjustment("anticoagulant", tier="urgent"), "urgent", 3),
        (Adjustment("anticoagulant", max_pressure=2), "caution", 2),
    ],
)
def test_a_clinic_adjustment_changes_the_engine_outcome(adjustment, expected_tier, expected_cap):
    rules = apply_adjustments(KB.rules, [adjustment])
    answers = ScreeningAnswers(medication_classes=frozenset({"anticoagulant"}))
    findings = evaluate(answers, rules, KB)
    if expected_tier is None:
        assert findings == []
        return
    assert findings[0].tier == expected_tier
    assert findings[0].restrictions[0].max_pressure == expected_cap


def test_a_clinic_adjustment_changes_the_outcome_for_that_clinic_only(clinic, therapist, owner):
    other = Clinic.objects.create(name="Other")
    other_therapist = make_member(other, "t@other.test", "therapist")
    RuleAdjustment.objects.create(
        clinic=clinic, rule_id="anticoagulant", max_pressure=2, note="Stricter", changed_by=owner
    )
    ours = make_client(clinic, therapist)
    theirs = make_client(other, other_therapist)
    answers = {"medication_classes": ["anticoagulant"]}
    assert evaluate_for(clinic.pk, answers)[0].restrictions[0].max_pressure == 2
    assert evaluate_for(other.pk, answers)[0].restrictions[0].max_pressure == 3
    for client, user in ((ours, therapist), (theirs, other_therapist)):
        intake(client, user, **answers)
    item = [{"technique": "swedish", "region": "upper_back", "pressure": 3}]
    assert not enforce(ours, item, user=therapist).allowed
    assert enforce(theirs, item, user=other_therapist).allowed
