"""When a plan's reassessment point arrives, and whether the course is working.

The rules are plain functions over dates and readings (FACTS §6.2 calls them proposed
conventions, not guideline mandates). `review` at the bottom gathers the values for one client
from the database (plans, visits and measures, which is why this lives in reports); everything
above it is pure.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from kneadwell.knowledge.instruments.change import overall
from kneadwell.knowledge.loader import load_knowledge
from kneadwell.plans.models import PRIMARY_ORDER, Plan, PlanStatus
from kneadwell.visits.models import VisitStatus

# Where to look for the primary measure in the plan's measure schedule, in order.

OPTION_LABELS = {
    "continue": "Continue the plan",
    "change_plan": "Change the plan",
    "refer_physician": "Refer to the physician",
    "stop": "Stop treatment and discharge",
}


@dataclass(frozen=True)
class Point:
    """Where the client stands against the plan's reassessment point."""

    due: bool
    starts: date  # counting began here: the version's start, or the day after the last decision
    after_visits: int | None
    after_weeks: int | None
    visits_counted: int
    due_on: date | None  # the day it became due (the visit, or the week mark), if due
    next_by_date: date | None  # when the week mark falls, if the plan sets one

    @property
    def is_set(self) -> bool:
        return bool(self.after_visits or self.after_weeks)

    @property
    def visits_to_go(self) -> int | None:
        if not self.after_visits:
            return None
        return max(self.after_visits - self.visits_counted, 0)


def started_on(created: date, visit_dates: Iterable[date]) -> date:
    """A plan version starts the day it was saved, or at its first visit if that is earlier
    (notes entered after the fact)."""
    return min([created, *visit_dates])


def reassessment_point(
    visit_dates: Iterable[date],
    *,
    version_started: date,
    last_decision: date | None,
    after_visits: int | None,
    after_weeks: int | None,
    today: date,
) -> Point:
    """Is the reassessment due? `visit_dates` are the signed visits under the plan's current
    version. Counting starts at the version's start, or after the last reassessment decision if
    that is later; visits on the decision's day came before it and do not count again. Due at
    the `after_visits`-th counted visit or `after_weeks` weeks after the start, whichever comes
    first; never before."""
    starts = version_started
    counted = sorted(d for d in visit_dates if d >= version_started)
    if last_decision is not None and last_decision >= version_started:
        starts = last_decision
        counted = [d for d in counted if d > last_decision]
    counted = [d for d in counted if d <= today]
    candidates = []
    if after_visits and len(counted) >= after_visits:
        candidates.append(counted[after_visits - 1])
    week_mark = starts + timedelta(weeks=after_weeks) if after_weeks else None
    if week_mark is not None and today >= week_mark:
        candidates.append(week_mark)
    return Point(
        due=bool(candidates),
        starts=starts,
        after_visits=after_visits,
        after_weeks=after_weeks,
        visits_counted=len(counted),
        due_on=min(candidates) if candidates else None,
        next_by_date=week_mark,
    )


def primary_instrument(
    measures: Mapping[str, Sequence[str]], series: Mapping[str, int]
) -> str | None:
    """The plan's primary measure: the first of its periodic, then baseline, then every-visit
    measures that the client has a series for (two or more scores). `series` maps instrument
    id → number of scores; ratings of change and screening tools are left out by the caller."""
    for kind in PRIMARY_ORDER:
        for instrument in measures.get(kind, []):
            if series.get(instrument, 0) >= 2:
                return instrument
    return None


def improved(statuses: Sequence[str]) -> bool:
    """A course has improved meaningfully when at least one reading improved and none got
    worse (the change reading's `overall`; the outcomes page reads courses the same way)."""
    return overall(statuses) == "improved"


def options(is_improved: bool, not_improving: Sequence[str]) -> list[str]:
    """What the therapist may decide: carry on when the course works; otherwise the plan
    template's "not improving" options, in the template's order."""
    return ["continue"] if is_improved else list(not_improving)


@dataclass
class Review:
    """Everything the progress page and chart need about one active plan's reassessment."""

    plan: Any
    version: Any
    point: Point
    primary: Any | None  # progress.Course of the primary measure, if there is a series
    is_improved: bool
    options: list[str]
    note: str = ""  # the template's note on its not-improving rule
    decisions: list[Any] = field(default_factory=list)

    @property
    def option_choices(self) -> list[tuple[str, str]]:
        return [(o, OPTION_LABELS[o]) for o in self.options]

    def primary_summary(self) -> dict[str, str]:
        """What the primary measure showed, in words, for the decision's record."""
        if self.primary is None:
            return {"primary_instrument": "", "primary_status": ""}
        return {
            "primary_instrument": self.primary.instrument.id,
            "primary_status": ", ".join(r.status for r in self.primary.readings),
        }


def review(client, courses, today: date) -> Review | None:
    """The reassessment of the client's newest active plan, or None without one.

    `courses` are progress.courses of the client's responses (already loaded by the page)."""
    plan = (
        Plan.objects.filter(client=client, status=PlanStatus.ACTIVE).order_by("-created_at").first()
    )
    if plan is None:
        return None
    version = plan.current()
    visit_dates = list(
        version.visits.filter(status=VisitStatus.SIGNED).values_list("visit_date", flat=True)
    )
    decisions = list(plan.reassessments.select_related("by").order_by("-decided_at"))
    last = timezone.localtime(decisions[0].decided_at).date() if decisions else None
    point = reassessment_point(
        visit_dates,
        version_started=started_on(timezone.localtime(version.created_at).date(), visit_dates),
        last_decision=last,
        after_visits=version.reassess_after_visits,
        after_weeks=version.reassess_after_weeks,
        today=today,
    )
    # One course per instrument: where an instrument has several recall periods (the NPRS), the
    # one begun first, at baseline, is the one a reassessment reads.
    by_id: dict[str, Any] = {}
    for course in courses:
        if course.instrument.change_measure == "score":
            by_id.setdefault(course.instrument.id, course)
    primary_id = primary_instrument(
        version.measures or {}, {k: len(c.responses) for k, c in by_id.items()}
    )
    primary = by_id.get(primary_id)
    is_improved = primary is not None and improved([r.status for r in primary.readings])
    template = load_knowledge().plans.get(plan.template)
    not_improving = template.not_improving if template else None
    fallback = ["change_plan", "refer_physician", "stop"]
    return Review(
        plan=plan,
        version=version,
        point=point,
        primary=primary,
        is_improved=is_improved,
        options=options(is_improved, not_improving.options if not_improving else fallback),
        note=not_improving.note if not_improving else "",
        decisions=decisions,
    )
