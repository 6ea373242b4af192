"""Intakes for the Demo Clinic: conditions across the knowledge base, a few cautions, one urgent.

Every person and answer here is made up. A clinic that already has intakes is left alone.
"""

import random

from kneadwell.accounts.models import Clinic
from kneadwell.knowledge.loader import load_knowledge
from kneadwell.screening.enforce import record_intake
from kneadwell.screening.models import Intake

# (conditions, pain areas, complaint)
PROFILES = [
    (
        ["lss_with_nc"],
        ["low_back", "buttock_left", "buttock_right", "thigh_back_left"],
        "Legs ache and get heavy after ten minutes of walking; better sitting down.",
    ),
    (
        ["sciatica"],
        ["low_back", "buttock_left", "thigh_back_left", "calf_left"],
        "Shooting pain down the left leg since lifting a box.",
    ),
    (["chronic_lbp"], ["low_back"], "Low back pain on and off for years, worse after gardening."),
    (
        ["chronic_neck_pain"],
        ["neck_posterior", "shoulder_left", "shoulder_right"],
        "Stiff, sore neck after long days at the computer.",
    ),
    (
        ["fibromyalgia"],
        ["neck_posterior", "upper_back", "low_back", "hip_left", "hip_right"],
        "Aching all over, tired, poor sleep.",
    ),
    (["acute_subacute_lbp"], ["low_back"], "Back went two weeks ago while moving furniture."),
    (["lss_without_nc"], ["low_back"], "Stiff low back in the mornings; scan showed narrowing."),
    (["knee_oa"], ["knee_right"], "Right knee aches on stairs."),
    (["hip_oa"], ["hip_left"], "Left hip pain when walking the dog."),
    (
        ["chronic_lbp", "sciatica"],
        ["low_back", "buttock_right", "thigh_back_right"],
        "Back pain with pain down the right leg.",
    ),
]
# Extra answers that raise caution findings, given to a few clients.
CAUTIONS = [
    {"medication_classes": ["anticoagulant"], "medications": "Apixaban 5 mg twice daily"},
    {"history": ["osteoporosis"], "medication_classes": ["corticosteroid"]},
    {"medication_classes": ["antihypertensive"], "history": ["hypertension_controlled"]},
    {"medication_classes": ["antiplatelet"], "medications": "Aspirin 75 mg"},
]
URGENT = {"red_flags": {"suspected_dvt": True}, "pain_areas": ["calf_left"]}
GOALS = [
    "Walk to the shops",
    "Sleep through the night",
    "Play with grandchildren",
    "Work a full day",
]


def intake_answers(profile, rng: random.Random) -> dict:
    """Intake answers for one of PROFILES: every red flag its conditions ask, answered no."""
    conditions, pain_areas, complaint = profile
    kb = load_knowledge()
    asked = [
        flag.id
        for flag in kb.red_flags.values()
        if flag.applies_to == "all" or set(conditions) & set(flag.applies_to)
    ]
    return {
        "complaint": complaint,
        "conditions": conditions,
        "onset": None,
        "duration": rng.choice(
            ["about 3 months", "over a year", "6 weeks", "on and off for years"]
        ),
        "pain_areas": pain_areas,
        "medication_classes": [],
        "medications": "",
        "history": [],
        "areas": {},
        "pregnancy_week": None,
        "findings": [],
        "red_flags": dict.fromkeys(asked, False),
        "goals": rng.choice(GOALS),
        "consent": True,
    }


def populate(clinic: Clinic, rng: random.Random) -> int:
    """Give most of the clinic's clients an intake and screening; returns how many were made."""
    if Intake.objects.filter(client__clinic=clinic).exists():
        return 0
    clients = list(clinic.clients.order_by("pk").prefetch_related("therapists"))
    made = 0
    for index, client in enumerate(clients):
        if index % 6 == 5:  # some clients have not had their intake yet
            continue
        answers = intake_answers(PROFILES[index % len(PROFILES)], rng)
        if index % 7 == 3:
            extra = CAUTIONS[(index // 7) % len(CAUTIONS)]
            for key, value in extra.items():
                answers[key] = answers[key] + value if isinstance(value, list) else value
        if index == 1:
            answers["red_flags"].update(URGENT["red_flags"])
            answers["pain_areas"] = answers["pain_areas"] + URGENT["pain_areas"]
        therapist = next(iter(client.therapists.all()), None)
        if therapist is None:
            continue
        record_intake(client, answers, therapist)
        made += 1
    return made
