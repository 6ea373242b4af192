"""The discharge summary as a plain snapshot: baseline against final for each measure, visits,
goals, the client's global impression of change and recommendations. `summary` is built from
plain values; `current_course` at the bottom gathers them for one client. Saved as JSON on
plans.Discharge so it never changes afterwards."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone

from kneadwell.measures import progress
from kneadwell.plans.models import PlanStatus
from kneadwell.visits.models import VisitStatus

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


def since_last_discharge(client):
    """Where the current course starts: after the last discharge, or, while the client is
    discharged, after the one before it (so their last course stays on show)."""
    skip = 1 if client.is_discharged else 0
    earlier = client.discharges.order_by("-discharged_at")[skip : skip + 1]
    return earlier[0].discharged_at if earlier else None


@dataclass(frozen=True)
class CurrentCourse:
    """The course a discharge would close: its measures, signed visits and active plans."""

    courses: list
    visit_dates: list[date]
    plans: list

    @property
    def goals(self) -> list[str]:
        return [g["text"] for plan in self.plans for g in plan.current().goals if g.get("text")]

    def preview(self) -> dict:
        return summary(self.courses, self.visit_dates, [], [])

    def snapshot(self, form) -> dict:
        """The summary with the therapist's judgement of each goal (a valid DischargeForm)."""
        rows = [
            {"id": p.pk, "condition": p.condition, "version": p.current().number}
            for p in self.plans
        ]
        return summary(self.courses, self.visit_dates, form.goal_outcomes(), rows)


def current_course(client) -> CurrentCourse:
    since = since_last_discharge(client)
    responses = client.measure_responses.chronological()
    visits = client.visits.filter(status=VisitStatus.SIGNED)
    if since is not None:
        responses = responses.filter(taken_at__gt=since)
        visits = visits.filter(visit_date__gt=timezone.localtime(since).date())
    return CurrentCourse(
        courses=progress.courses(list(responses)),
        visit_dates=list(visits.values_list("visit_date", flat=True)),
        plans=list(client.plans.filter(status=PlanStatus.ACTIVE).prefetch_related("versions")),
    )
