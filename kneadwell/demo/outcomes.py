"""A synthetic two-year history for the Demo Clinic, so that every figure on the outcomes page
has something true to show: about 320 invented courses of care, most of them finished.

Every person here is made up and named so ("Synthetic History 001"); their records are archived
so the working client list stays the demo's own. The records are ordinary ones (plans, signed
visits, scored responses, discharges), so the outcomes page computes from them exactly as it
would from a real clinic's. Deterministic: the same seed gives the same history. It lives in
the demo package because its discharge summaries are written by `reports`.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from kneadwell.analytics.refresh import rebuild
from kneadwell.clients.models import Client, ClientStatus
from kneadwell.knowledge.instruments.registry import get_instrument
from kneadwell.knowledge.loader import load_knowledge
from kneadwell.measures import progress
from kneadwell.measures.models import InstrumentSetting, Response, Source
from kneadwell.plans.models import Discharge, Plan, PlanStatus, PlanVersion
from kneadwell.reports import discharge
from kneadwell.visits.models import Visit, VisitStatus

COURSES = 320
YEARS = 2
# (condition, weight, sessions per week)
CONDITIONS = [
    ("chronic_lbp", 45, 1),
    ("chronic_neck_pain", 20, 2),
    ("fibromyalgia", 13, 1),
    ("sciatica", 12, 1),
    ("lss_with_nc", 10, 1),
]
# Adverse effects per visit: (type, chance, severity range)
ADVERSE = [
    ("soreness", 0.08, (1, 4)),
    ("increased_pain", 0.025, (2, 6)),
    ("fatigue", 0.015, (1, 3)),
    ("bruising", 0.008, (1, 3)),
    ("headache", 0.006, (2, 5)),
]
SYNTHETIC_NOTE = "Synthetic history for the outcomes demo; not a real person."


def populate(clinic, rng: random.Random, today: date) -> int:
    """Add the synthetic history to `clinic` and build its outcome summary; returns how many
    courses were made. Therapists are the clinic's; the history ends a few days before
    `today`, and its last few months are still ongoing."""
    therapists = [
        m.user for m in clinic.memberships.select_related("user").filter(role="therapist")
    ]
    if not therapists:
        return 0
    knowledge = load_knowledge()
    rules = InstrumentSetting.rules_by_instrument(clinic.pk)
    first_day = today - timedelta(days=365 * YEARS)
    courses = [_course(rng, index, first_day, today, therapists) for index in range(COURSES)]
    clients = Client.objects.bulk_create(
        [
            Client(
                clinic=clinic,
                given_names="Synthetic",
                family_name=f"History {course['number']:03d}",
                birth_date=date(1940, 1, 1) + timedelta(days=rng.randrange(0, 365 * 50)),
                gender=rng.choice(["female", "male", "female", "male", "other"]),
                city="Exampleton",
                consent_treatment=True,
                consent_treatment_date=course["start"],
                consent_data=True,
                consent_data_date=course["start"],
                archived_at=_at(today - timedelta(days=1), 20),
                status=ClientStatus.DISCHARGED if course["discharged"] else ClientStatus.ACTIVE,
                discharged_at=_at(course["days"][-1], 19) if course["discharged"] else None,
            )
            for course in courses
        ]
    )
    Client.therapists.through.objects.bulk_create(
        [
            Client.therapists.through(client_id=client.pk, user_id=course["therapist"].pk)
            for client, course in zip(clients, courses, strict=True)
        ]
    )
    plans = Plan.objects.bulk_create(
        [
            Plan(
                clinic=clinic,
                client=client,
                condition=course["condition"],
                template=knowledge.plan_for(course["condition"]).id,
                status=PlanStatus.CLOSED if course["discharged"] else PlanStatus.ACTIVE,
                created_by=course["therapist"],
            )
            for client, course in zip(clients, courses, strict=True)
        ]
    )
    versions = PlanVersion.objects.bulk_create(
        [_version(plan, course, knowledge) for plan, course in zip(plans, courses, strict=True)]
    )
    visits, responses, discharges = [], [], []
    for client, plan, version, course in zip(clients, plans, versions, courses, strict=True):
        made = _records(client, version, course, rules, rng)
        visits += made["visits"]
        responses += made["responses"]
        if course["discharged"]:
            discharges.append(_discharge(client, plan, version, course, made))
    Visit.objects.bulk_create(visits, batch_size=500)
    Response.objects.bulk_create(responses, batch_size=500)
    Discharge.objects.bulk_create(discharges, batch_size=500)
    # Dates that auto_now_add set to today go back to when each course started.
    by_day = defaultdict(list)
    for plan, course in zip(plans, courses, strict=True):
        by_day[course["start"]].append(plan.pk)
    for day, ids in by_day.items():
        Plan.objects.filter(pk__in=ids).update(created_at=_at(day, 8))
        PlanVersion.objects.filter(plan_id__in=ids).update(created_at=_at(day, 8))
    rebuild(clinic.pk)
    return len(courses)


def _course(rng, index, first_day, today, therapists) -> dict:
    """One invented course: who, what, when, how it went."""
    condition, per_week = _pick(rng)
    span = (today - first_day).days - 14
    start = first_day + timedelta(days=rng.randrange(0, span))
    planned = rng.randint(6, 10) if per_week == 1 else rng.randint(8, 12)
    severity = rng.uniform(0.25, 0.8)  # the baseline, as a share of the scale's worst end
    # Milder starts respond more often here: an invented pattern, so the bands differ.
    responder = rng.random() < 0.85 - 0.6 * (severity - 0.25)
    effect = rng.uniform(0.35, 0.7) if responder else rng.uniform(-0.1, 0.15)
    pace = rng.uniform(1.5, 6.0)  # sessions for about two thirds of the effect
    dropped = rng.random() < 0.18
    sessions = rng.randint(2, max(2, planned - 3)) if dropped else planned
    gap = 7 // per_week
    days = []
    day = start
    for _ in range(sessions):
        days.append(day)
        day += timedelta(days=gap + rng.choice([0, 0, 0, 1, -1 if gap > 3 else 0, 7]))
    # Courses still running at "today" are ongoing: cut them at today, and no discharge.
    ongoing = days[-1] >= today - timedelta(days=3)
    days = [d for d in days if d < today - timedelta(days=3)] or [start]
    return {
        "number": index + 1,
        "condition": condition,
        "therapist": therapists[index % len(therapists)],
        "start": start,
        "days": days,
        "severity": severity,
        "effect": effect,
        "pace": pace,
        "discharged": not dropped and not ongoing,
        "patchy": rng.random() < 0.07,  # no questionnaire after the baseline
    }


def _pick(rng):
    total = sum(weight for _, weight, _ in CONDITIONS)
    roll = rng.uniform(0, total)
    for condition, weight, per_week in CONDITIONS:
        roll -= weight
        if roll <= 0:
            return condition, per_week
    return CONDITIONS[0][0], CONDITIONS[0][2]


def _version(plan, course, knowledge) -> PlanVersion:
    template = knowledge.plan_for(course["condition"])
    measures = knowledge.conditions[course["condition"]].measures
    return PlanVersion(
        plan=plan,
        number=1,
        goals=[{"text": "Less pain with everyday tasks", "psfs_activity": ""}],
        techniques=[t.technique for t in template.techniques][:3],
        max_pressure=min(
            3, max(knowledge.techniques[t.technique].pressure_max for t in template.techniques)
        ),
        session_minutes=60 if course["condition"] == "chronic_neck_pain" else 45,
        sessions_per_week=2 if course["condition"] == "chronic_neck_pain" else 1,
        planned_sessions=len(course["days"]),
        reassess_after_visits=4,
        measures={
            "baseline": list(measures.baseline),
            "every_visit": list(measures.every_visit),
            "periodic": list(measures.periodic),
        },
        created_by=course["therapist"],
        change_note="",
        notes=SYNTHETIC_NOTE,
    )


def _share(course, session: int, rng) -> float:
    """The burden after `session` sessions, as a share of the scale's worst end."""
    gained = course["effect"] * (1 - math.exp(-session / course["pace"]))
    return min(1.0, max(0.0, course["severity"] * (1 - gained) + rng.uniform(-0.04, 0.04)))


def _records(client, version, course, rules, rng) -> dict:
    therapist = course["therapist"]
    primary = version.measures["periodic"][0]
    visits, responses = [], []
    count = len(course["days"])
    for number, day in enumerate(course["days"]):
        share = _share(course, number, rng)
        start = time(hour=rng.randint(8, 17), minute=rng.choice([0, 15, 30, 45]))
        signed = _at(day, start.hour, start.minute) + timedelta(hours=1)
        visits.append(
            Visit(
                clinic_id=client.clinic_id,
                client=client,
                therapist=therapist,
                plan_version=version,
                visit_date=day,
                start_time=start,
                duration_minutes=version.session_minutes,
                nprs=round(10 * share),
                client_report="Synthetic history visit.",
                adverse_effects=_adverse(rng),
                assessment="Synthetic history.",
                status=VisitStatus.SIGNED,
                signed_at=signed,
                signed_by=therapist,
            )
        )
        taken = _at(day, start.hour, start.minute)
        responses.append(
            Response.build(
                client,
                "nprs",
                {"1": round(10 * share)},
                rule=rules["nprs"],
                recall="average_week",
                taken_at=taken,
                entered_by=therapist,
                source=Source.STAFF,
            )
        )
        # The primary questionnaire at the start, every third session and at discharge; a few
        # courses miss it, so the completeness figure has something to show.
        final = number == count - 1 and course["discharged"]
        if (number % 3 == 0 or final) and not (number and course["patchy"]):
            responses.append(
                Response.build(
                    client,
                    primary,
                    _answers(primary, share, rng),
                    rule=rules[primary],
                    taken_at=taken + timedelta(minutes=1),
                    entered_by=therapist,
                )
            )
    return {"visits": visits, "responses": responses}


def _answers(instrument_id: str, share: float, rng) -> dict:
    """Answers whose score is about `share` of the way from the best to the worst end."""
    spec = get_instrument(instrument_id)
    worse_is_high = spec.direction.value == "higher_is_worse"
    answers = {}
    optional = {i for s in spec.subscales if s.optional for i in s.items}
    for item in spec.items:
        if item.id in optional:
            continue
        values = sorted(item.allowed_values(), key=item.score_of)
        if not worse_is_high:
            values.reverse()
        # Randomised rounding: right on average, whatever the number of options.
        position = min(len(values) - 1, int(share * (len(values) - 1) + rng.random()))
        answers[item.id] = values[position]
    return answers


def _adverse(rng) -> list[dict]:
    found = []
    for kind, chance, (low, high) in ADVERSE:
        if rng.random() < chance:
            found.append(
                {
                    "kind": kind,
                    "onset_hours": rng.choice([2, 6, 12, 24]),
                    "duration_hours": rng.choice([6, 12, 24, 36]),
                    "severity": rng.randint(low, high),
                    "action": "Advised rest and gentle movement.",
                }
            )
    return found


def _discharge(client, plan, version, course, made) -> Discharge:
    found = progress.courses(made["responses"])
    summary = discharge.summary(
        found,
        course["days"],
        [("Less pain with everyday tasks", "met" if course["effect"] > 0.3 else "partly")],
        [{"id": plan.pk, "condition": plan.condition, "version": version.number}],
    )
    return Discharge(
        client=client,
        summary=summary,
        recommendations="Synthetic history: keep up the home exercises.",
        discharged_at=_at(course["days"][-1], 19),
        by=course["therapist"],
    )


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))
