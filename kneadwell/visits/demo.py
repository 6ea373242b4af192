"""Invented plans and signed visit notes for the Demo Clinic, matching its NPRS series."""

from __future__ import annotations

import random

from django.utils import timezone

from kneadwell.knowledge.loader import load_knowledge
from kneadwell.measures.models import Response
from kneadwell.plans import safety
from kneadwell.plans.build import draft_from_template
from kneadwell.plans.models import Plan
from kneadwell.visits.models import Visit

REPORTS = [
    "Stiff in the mornings, easing by midday.",
    "Slept better after the last session.",
    "Sore for a day afterwards, then looser.",
    "Walked further this week before needing to stop.",
    "About the same as last week.",
]


def populate(clinic, rng: random.Random) -> int:
    """A plan for each screened client with an NPRS series, and a signed note per rating."""
    knowledge = load_knowledge()
    made = 0
    for client in clinic.clients.order_by("pk").prefetch_related("therapists", "intakes"):
        ratings = list(
            Response.objects.filter(client=client, instrument="nprs").order_by("taken_at")
        )
        intake = client.intakes.order_by("id").first()
        therapist = next(iter(client.therapists.all()), None)
        if not ratings or intake is None or therapist is None:
            continue
        restrictions = safety.restrictions_for(client)
        if restrictions.is_blocked:
            continue
        condition = next(iter(intake.answers.get("conditions", [])), "chronic_lbp")
        template = knowledge.plan_for(condition)
        draft = draft_from_template(template, knowledge, restrictions)
        plan = Plan.objects.create(
            clinic=clinic,
            client=client,
            condition=condition,
            template=template.id,
            created_by=therapist,
        )
        version = plan.versions.create(
            number=1,
            created_by=therapist,
            goals=[{"text": "Less pain with everyday tasks", "psfs_activity": ""}],
            techniques=draft.techniques,
            max_pressure=draft.max_pressure,
            session_minutes=draft.session_minutes or 45,
            sessions_per_week=draft.sessions_per_week or 1,
            planned_sessions=draft.planned_sessions or 8,
            reassess_after_visits=draft.reassess_after_visits or 4,
            reassess_after_weeks=draft.reassess_after_weeks,
            combine_with=draft.combine_with,
            measures=draft.measures,
            positioning="\n".join(draft.positioning),
        )
        region = "low_back" if "neck" not in condition else "neck_posterior"
        for rating in ratings:
            local = timezone.localtime(rating.taken_at)
            visit = Visit.objects.create(
                clinic=clinic,
                client=client,
                therapist=therapist,
                plan_version=version,
                visit_date=local.date(),
                start_time=local.time().replace(second=0, microsecond=0),
                duration_minutes=version.session_minutes,
                nprs=int(rating.score),
                client_report=rng.choice(REPORTS),
                pain_regions=[region],
                treated_regions=[region],
                treatment=[
                    {
                        "technique": t,
                        "region": region,
                        "pressure": min(draft.max_pressure, knowledge.techniques[t].pressure_max),
                        "minutes": 15,
                    }
                    for t in draft.techniques[:2]
                ],
                assessment="Tolerated well.",
                home_advice="Keep up the daily walk.",
            )
            visit.sign(therapist)
            made += 1
    return made
