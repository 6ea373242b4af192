"""Invented outcome-measure series for the Demo Clinic: about half the clients get weekly NPRS
ratings and a back or neck questionnaire over several weeks, some improving and some not."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from kneadwell.measures.models import Response, Source

# How the burden changes from baseline (1.0) to the last visit, per kind of course.
COURSES = {"improving": 0.35, "slowly improving": 0.7, "no change": 1.0, "worse": 1.3}
QUESTIONNAIRES = ["rmdq", "rmdq", "ndi", "odi"]


def populate(clinic, rng: random.Random, today: date | None = None) -> int:
    """Record demo responses for about half of `clinic`'s clients; returns how many. Every
    score is computed by the scoring, exactly as for real entries."""
    today = today or timezone.localdate()
    created = 0
    for client in clinic.clients.order_by("pk").prefetch_related("therapists"):
        if rng.random() >= 0.5:
            continue
        therapist = next(iter(client.therapists.all()), None)
        course = rng.choice(list(COURSES))
        questionnaire = rng.choice(QUESTIONNAIRES)
        visits = rng.randint(4, 8)
        first = today - timedelta(days=7 * visits + rng.randrange(0, 10))
        pain = rng.randint(5, 8)
        level = rng.uniform(0.35, 0.6)  # the questionnaire's baseline, as a share of its maximum
        for visit in range(visits):
            share = visit / (visits - 1)
            factor = 1 + (COURSES[course] - 1) * share
            when = _at(first + timedelta(days=7 * visit), rng)
            source = Source.CLIENT if rng.random() < 0.2 else Source.STAFF
            rating = _clamp(round(pain * factor + rng.uniform(-0.8, 0.8)), 0, 10)
            Response.record(
                client,
                "nprs",
                {"1": rating},
                recall="average_week",
                taken_at=when,
                entered_by=therapist,
                source=source,
            )
            created += 1
            if visit in (0, visits // 2, visits - 1):
                answers = _questionnaire_answers(questionnaire, level * factor, rng)
                Response.record(client, questionnaire, answers, taken_at=when, entered_by=therapist)
                created += 1
    return created


def _questionnaire_answers(instrument_id: str, share: float, rng: random.Random) -> dict:
    """Plausible answers whose total is about `share` of the maximum."""
    share = min(max(share, 0.0), 1.0)
    if instrument_id == "rmdq":
        ticked = set(rng.sample(range(1, 25), k=round(24 * share)))
        return {str(n): int(n in ticked) for n in range(1, 25)}
    # ODI and NDI: ten sections scored 0–5.
    return {str(n): _clamp(round(5 * share + rng.uniform(-1, 1)), 0, 5) for n in range(1, 11)}


def _at(day: date, rng: random.Random) -> datetime:
    moment = time(hour=rng.randint(8, 17), minute=rng.choice([0, 15, 30, 45]))
    return timezone.make_aware(datetime.combine(day, moment))


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))
