"""The discharge summary as a plain snapshot: baseline against final for each measure, visits,
goals, the client's global impression of change and recommendations. Built from values the
page already holds; saved as JSON on plans.Discharge so it never changes afterwards."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.utils import timezone

GOAL_LABELS = {"met": "Met", "partly": "Partly met", "not_met": "Not met"}


def score_text(response) -> str:
    """A response's score as shown: the total, or each subscale where there is none."""
    if response.display_score is not None:
        return f"{response.display_score:g}"
    return "; ".join(
        f"{name} {value:g}" for name, value in response.display_subscores() if value is not None
    )


def _day(moment) -> str:
    return f"{timezone.localtime(moment).date():%Y-%m-%d}"


def measure_rows(courses: Sequence[Any]) -> list[dict]:
    """Baseline against final for each change measure (ratings such as PGIC come separately)."""
    rows = []
    for course in courses:
        if course.instrument.change_measure != "score":
            continue
        rows.append(
            {
                "instrument": course.instrument.id,
                "name": course.instrument.short_name,
                "count": len(course.responses),
                "baseline": {
                    "score": score_text(course.baseline),
                    "date": _day(course.baseline.taken_at),
                },
                "final": {"score": score_text(course.latest), "date": _day(course.latest.taken_at)},
                "readings": [
                    {
                        "label": r.label,
                        "status": r.status,
                        "status_label": r.status_label,
                        "thresholds_met": r.thresholds_met,
                    }
                    for r in course.readings
                ],
            }
        )
    return rows


def impression(courses: Sequence[Any]) -> dict | None:
    """The client's latest Patient Global Impression of Change, in words, or None."""
    pgic = next((c for c in courses if c.instrument.id == "pgic"), None)
    if pgic is None:
        return None
    latest = pgic.latest
    item = pgic.instrument.items[0]
    label = next((o.label for o in item.options if o.score == latest.score), f"{latest.score:g}")
    reading = pgic.readings[0] if pgic.readings else None
    return {
        "label": label,
        "date": _day(latest.taken_at),
        "status_label": reading.status_label if reading else "",
    }


def summary(
    courses: Sequence[Any],
    visit_dates: Sequence[date],
    goals: Sequence[tuple[str, str]],
    plans: Sequence[dict],
) -> dict:
    """The snapshot saved with the discharge (recommendations are stored beside it)."""
    visit_dates = sorted(visit_dates)
    return {
        "measures": measure_rows(courses),
        "visits": {
            "count": len(visit_dates),
            "first": f"{visit_dates[0]:%Y-%m-%d}" if visit_dates else None,
            "last": f"{visit_dates[-1]:%Y-%m-%d}" if visit_dates else None,
        },
        "goals": [
            {"text": text, "outcome": outcome, "outcome_label": GOAL_LABELS[outcome]}
            for text, outcome in goals
        ],
        "pgic": impression(courses),
        "plans": list(plans),
    }
