"""Realistic clients, each with the outcome the fact sheet implies and the FACTS line that says so.

Every scenario goes through the whole database path (intake → screening → referral tasks →
enforcement of a planned treatment), under the built-in rules. ``facts`` is the FACTS.md line
the outcome follows; the test also checks that the rule or red flag behind each finding cites
that line in its ``facts`` field, so the data and this table cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pytest
from django.utils import timezone

from kneadwell.conftest import make_client
from kneadwell.knowledge.loader import load_knowledge
from kneadwell.knowledge.models import RuleAdjustment
from kneadwell.screening.enforce import enforce, latest_screening, record_checkin, record_intake
from kneadwell.screening.models import Override

KB = load_knowledge()


def born(age: int) -> date:
    today = timezone.localdate()
    return today.replace(year=today.year - age, month=1, day=1)


def row(technique, region, pressure, position=""):
    return {"technique": technique, "region": region, "pressure": pressure, "position": position}


@dataclass
class Scenario:
    name: str
    age: int
    answers: dict
    facts: str  # the FACTS.md line the outcome follows
    blocked: bool
    findings: dict[str, str]  # finding id -> tier, exactly
    referrals: set[str] = field(default_factory=set)  # finding ids with a referral task
    forbidden: list[dict] = field(default_factory=list)  # each gives violations
    allowed: list[dict] = field(default_factory=list)  # each is allowed as it stands


SCENARIOS = [
    Scenario(
        name="fibromyalgia with widespread pain",
        age=44,
        answers={
            "conditions": ["fibromyalgia"],
            "pain_areas": [
                "upper_back",
                "low_back",
                "shoulder_left",
                "hip_right",
                "thigh_front_left",
            ],
            # Pain between the shoulder blades is common in fibromyalgia; the new-sites question
            # is answered no because fibromyalgia explains the widespread pain.
            "red_flags": {"thoracic_pain": True, "pain_many_places_unwell": False},
        },
        facts="§5 Fibromyalgia / central sensitisation: start at Walton level 1-2",
        blocked=False,
        findings={"rule:fibromyalgia_pressure": "caution"},
        forbidden=[row("myofascial_release", "upper_back", 3, "prone")],
        allowed=[row("myofascial_release", "upper_back", 2, "prone")],
    ),
    Scenario(
        name="past cancer, age 45, nothing else",
        age=45,
        answers={"conditions": ["chronic_lbp"], "red_flags": {"cancer_history": True}},
        facts="'Cancer is not a contraindication to massage itself'",
        blocked=False,
        findings={},
        allowed=[row("swedish", "low_back", 4, "prone")],
    ),
    Scenario(
        name="past cancer, age 62 (history of cancer with age over 50)",
        age=62,
        answers={"conditions": ["chronic_lbp"], "red_flags": {"cancer_history": True}},
        facts="§4 URGENT suspected spinal malignancy without neurological signs",
        blocked=False,
        findings={"rule:spinal_malignancy_features": "urgent"},
        referrals={"rule:spinal_malignancy_features"},
        forbidden=[
            row("swedish", "low_back", 4, "prone"),
            row("gentle_mobilisation", "low_back", 2, "prone"),
        ],
        allowed=[row("swedish", "low_back", 3, "prone"), row("swedish", "calf_left", 4, "prone")],
    ),
    Scenario(
        name="active cancer with a marked area",
        age=45,
        answers={
            "conditions": ["other_chronic_pain"],
            "history": ["cancer_active"],
            "areas": {"cancer_active": ["upper_arm_left"]},
        },
        facts="§5 Malignancy: no deep pressure over tumour sites without clinician approval",
        blocked=False,
        findings={"rule:cancer_active": "caution"},
        forbidden=[row("swedish", "upper_arm_left", 4, "seated")],
        allowed=[
            row("swedish", "upper_arm_left", 3, "seated"),
            row("swedish", "low_back", 4, "prone"),
        ],
    ),
    Scenario(
        name="immunosuppressant medicine with back pain",
        age=38,
        answers={"conditions": ["chronic_lbp"], "medication_classes": ["immunosuppressant"]},
        facts="§4 URGENT possible infection in someone who is systemically well",
        blocked=False,
        findings={"rule:spinal_infection_risk": "urgent"},
        referrals={"rule:spinal_infection_risk"},
        allowed=[row("swedish", "low_back", 3, "prone")],
    ),
    Scenario(
        name="immunosuppressant medicine, knee pain only",
        age=38,
        answers={
            "conditions": ["knee_oa"],
            "pain_areas": ["knee_left"],
            "medication_classes": ["immunosuppressant"],
        },
        facts="'Back pain with low-grade fever or risk factors (immunosuppression",
        blocked=False,
        findings={},
        allowed=[row("swedish", "knee_left", 3, "supine")],
    ),
    Scenario(
        name="fever today",
        age=50,
        answers={"conditions": ["chronic_neck_pain"], "findings": ["fever"]},
        facts="§5 Fever / acute systemic infection: 'Systemic: defer', the whole session.",
        blocked=True,
        # Neck pain with a fever is also the back-pain-with-low-grade-fever combination (§4).
        findings={"rule:fever": "caution", "rule:spinal_infection_risk": "urgent"},
        referrals={"rule:spinal_infection_risk"},
    ),
    Scenario(
        name="pregnancy week 24, prone",
        age=31,
        answers={"conditions": ["chronic_lbp"], "pregnancy_week": 24},
        facts="§5 Pregnancy: 'From about 20 weeks, avoid prolonged flat supine lying",
        blocked=False,
        findings={"rule:pregnancy": "caution", "rule:pregnancy_20_weeks": "caution"},
        forbidden=[
            row("swedish", "low_back", 3, "prone"),
            row("swedish", "low_back", 3, "supine"),
            row("swedish", "low_back", 3),  # the position must be recorded
        ],
        allowed=[
            row("swedish", "low_back", 3, "side_lying"),
            row("swedish", "low_back", 3, "semi_reclined"),
        ],
    ),
    Scenario(
        name="pregnancy week 18, prone (before the week)",
        age=31,
        answers={"conditions": ["chronic_lbp"], "pregnancy_week": 18},
        facts="§5 Pregnancy: be cautious with deep leg work",
        blocked=False,
        findings={"rule:pregnancy": "caution"},
        allowed=[row("swedish", "low_back", 3, "prone")],
    ),
    Scenario(
        name="lumbar spinal stenosis, prone",
        age=71,
        answers={"conditions": ["lss_with_nc"], "red_flags": {}},
        facts="§5 Lumbar spinal stenosis: avoid positions that sustain lumbar extension",
        blocked=False,
        findings={"rule:lss_with_nc_positioning": "caution"},
        forbidden=[row("swedish", "low_back", 3, "prone")],
        allowed=[
            row("swedish", "low_back", 3, "prone_supported"),
            row("swedish", "low_back", 3, "side_lying"),
        ],
    ),
    Scenario(
        name="thoracic pain alone",
        age=40,
        answers={"conditions": ["chronic_lbp"], "red_flags": {"thoracic_pain": True}},
        facts="feature 'thoracic pain'; on its own a weak flag",
        blocked=False,
        findings={},
        allowed=[row("swedish", "upper_back", 4, "prone")],
    ),
    Scenario(
        name="two malignancy features together (weight loss and night pain)",
        age=40,
        answers={
            "conditions": ["chronic_lbp"],
            "red_flags": {"unexplained_weight_loss": True, "night_rest_pain": True},
        },
        facts="§4 URGENT suspected spinal malignancy without neurological signs",
        blocked=False,
        findings={"rule:spinal_malignancy_features": "urgent"},
        referrals={"rule:spinal_malignancy_features"},
        forbidden=[row("swedish", "low_back", 4, "prone")],
        allowed=[row("swedish", "low_back", 3, "prone")],
    ),
    Scenario(
        name="cauda equina signs",
        age=52,
        answers={"conditions": ["sciatica"], "red_flags": {"ces_saddle_numbness": True}},
        facts="§4 EMERGENCY cauda equina: saddle anaesthesia or paraesthesia",
        blocked=True,
        findings={
            "red_flag:ces_saddle_numbness": "emergency",
            "rule:sciatica_nerve_path": "caution",
        },
        referrals={"red_flag:ces_saddle_numbness"},
    ),
    Scenario(
        name="one swollen, warm calf (suspected clot)",
        age=58,
        answers={"conditions": ["chronic_lbp"], "red_flags": {"suspected_dvt": True}},
        facts="§5 DVT row: 'Systemic: defer until medically cleared'",
        blocked=True,
        findings={"red_flag:suspected_dvt": "urgent"},
        referrals={"red_flag:suspected_dvt"},
    ),
    Scenario(
        name="high blood pressure with symptoms",
        age=66,
        answers={"conditions": ["chronic_neck_pain"], "history": ["hypertension_uncontrolled"]},
        facts="§5 Uncontrolled or symptomatic hypertension: 'Systemic: defer if severe",
        blocked=True,
        findings={"rule:hypertension_uncontrolled": "soon"},
        referrals={"rule:hypertension_uncontrolled"},
    ),
]


def _entry(finding_id: str):
    kind, entry_id = finding_id.split(":", 1)
    return KB.rules[entry_id] if kind == "rule" else KB.red_flags[entry_id]


@pytest.fixture
def screened(clinic, therapist):
    def screen(scenario: Scenario):
        client = make_client(clinic, therapist, birth_date=born(scenario.age))
        assert client.age() == scenario.age
        record_intake(client, {"red_flags": {}, **scenario.answers}, therapist)
        return client

    return screen


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_each_scenario_gives_the_outcome_the_fact_sheet_implies(screened, therapist, scenario):
    client = screened(scenario)
    result = enforce(client, [], user=therapist)
    found = {f.id: f.tier for f in result.findings if not f.id.startswith("rule:neck_any")}
    assert found == scenario.findings
    assert result.blocked is scenario.blocked
    assert {t.finding_id for t in client.referral_tasks.open()} == scenario.referrals
    # The outcome's FACTS line is the one the data cites for it.
    cited = " ".join(_entry(f).facts for f in scenario.findings) or " ".join(
        entry.facts for entry in (*KB.rules.values(), *KB.red_flags.values())
    )
    assert scenario.facts in cited
    for treatment in scenario.forbidden:
        checked = enforce(client, [treatment], user=therapist)
        assert checked.violations and not checked.allowed, treatment
    for treatment in scenario.allowed:
        checked = enforce(client, [treatment], user=therapist)
        assert checked.allowed and not checked.violations, (treatment, checked.violations)


@pytest.mark.parametrize("scenario", [s for s in SCENARIOS if s.blocked], ids=lambda s: s.name)
def test_a_typed_reason_never_lifts_a_blocked_scenario(screened, therapist, scenario):
    client = screened(scenario)
    result = enforce(
        client, [row("swedish", "low_back", 2, "side_lying")], override_reason="Feels fine"
    )
    assert result.blocked and not result.allowed
    assert not Override.objects.exists()


def test_the_fever_scenario_is_lifted_by_a_checkin_on_a_well_day(screened, therapist):
    client = screened(next(s for s in SCENARIOS if s.name == "fever today"))
    screening = latest_screening(client)
    record_checkin(client, screening, {}, therapist, today={"fever": False})
    assert enforce(client, [row("swedish", "neck_posterior", 2, "seated")]).allowed


def test_a_clinic_sets_its_own_pregnancy_week(screened, clinic, owner, therapist):
    scenario = next(s for s in SCENARIOS if s.name == "pregnancy week 24, prone")
    client = screened(scenario)
    RuleAdjustment.objects.create(
        clinic=clinic, rule_id="pregnancy_20_weeks", from_week=26, note="Obstetric team advice"
    )
    assert enforce(client, [row("swedish", "low_back", 3, "prone")]).allowed
    RuleAdjustment.objects.filter(clinic=clinic).update(from_week=16)
    client.intakes.all().delete()
    record_intake(client, {"red_flags": {}, "pregnancy_week": 17}, therapist)
    assert not enforce(client, [row("swedish", "low_back", 3, "prone")]).allowed
