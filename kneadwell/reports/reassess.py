"""When a plan's reassessment point arrives, and whether the course is working.

FACTS §6.2 (proposed conventions, not guideline mandates): repeat the questionnaire every 2 weeks
or every 3-4 sessions (the template's ``reassess_after``); if there is no meaningful change after
4-6 sessions or about 4 weeks (the template's ``not_improving``), or the client is worse, prompt a
review with the physician and a change of plan. "Continue" is offered while the client improves
or the trial is not over. The every-visit red-flag check is a screening check-in, not this.
The rules are plain functions over dates and readings. `review` at the bottom gathers the values
for one client from the database (plans, visits and measures, which is why this lives in
reports); everything above it is pure.
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


@dataclass(frozen=True)
class Trial:
    """How far the course has gone against the template's no-response window (FACTS §6.2:
    "no MIC-level improvement after 4-6 sessions or about 4 weeks"). The prompt may come from
    the window's start; the trial is over at its end. Sessions and weeks count from the plan
    version's start (a new version, a changed plan, starts a new trial)."""

    sessions: int
    started: date
    opens_on: date | None  # the window's start was reached (min sessions or min weeks)
    over_on: date | None  # the window's end was reached (max sessions or max weeks)
    window: str  # e.g. "4-6 sessions or about 4 weeks"

    @property
    def opened(self) -> bool:
        return self.opens_on is not None

    @property
    def over(self) -> bool:
        return self.over_on is not None


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


def _reached(dates: Sequence[date], count: int | None, start: date, weeks: int | None, today):
    """The day the `count`-th visit came or `weeks` weeks passed, whichever first; or None."""
    candidates = []
    if count and len(dates) >= count:
        candidates.append(dates[count - 1])
    if weeks:
        mark = start + timedelta(weeks=weeks)
        if today >= mark:
            candidates.append(mark)
    return min(candidates) if candidates else None


def _span(low: int, high: int, unit: str) -> str:
    return f"{low} {unit}" if low == high else f"{low}-{high} {unit}"


def trial(
    visit_dates: Iterable[date],
    *,
    started: date,
    after_visits: tuple[int, int] | None,
    after_weeks: tuple[int, int] | None,
    today: date,
) -> Trial:
    """Where the course stands against the no-response window: `after_visits` and `after_weeks`
    are the template's (min, max) ranges; whichever of visits or weeks comes first counts."""
    dates = sorted(d for d in visit_dates if started <= d <= today)
    low_v, high_v = after_visits or (None, None)
    low_w, high_w = after_weeks or (None, None)
    parts = []
    if after_visits:
        parts.append(_span(low_v, high_v, "sessions"))
    if after_weeks:
        parts.append(f"about {_span(low_w, high_w, 'weeks')}")
    return Trial(
        sessions=len(dates),
        started=started,
        opens_on=_reached(dates, low_v, started, low_w, today),
        over_on=_reached(dates, high_v, started, high_w, today),
        window=" or ".join(parts),
    )


def course_status(statuses: Sequence[str]) -> str:
    """The course in one word: "worse" when any reading got worse, "improved" when one improved
    and none got worse (``improved`` below), "no_change" when read and neither, "unknown"
    without a follow-up."""
    if not statuses:
        return "unknown"
    if "worse" in statuses:
        return "worse"
    if "improved" in statuses:
        return "improved"
    return "no_change"


def prompt(status: str, course: Trial, last_decision: date | None, worse_since: date | None):
    """Whether the no-response or worsening prompt is up: "worse" as soon as a reading is
    worse, "no_response" once the window opens without a meaningful change (and again when the
    trial is over), each until a decision is recorded after it; otherwise None."""

    def answered(since: date | None) -> bool:
        return since is not None and last_decision is not None and last_decision >= since

    if status == "worse" and not answered(worse_since):
        return "worse"
    if status in ("no_change", "unknown"):
        if course.over and not answered(course.over_on):
            return "no_response"
        if course.opened and not course.over and not answered(course.opens_on):
            return "no_response"
    return None


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


def options(status: str, trial_over: bool, not_improving: Sequence[str]) -> list[str]:
    """What the therapist may decide. "Continue" while the client improves, or while the trial
    is not over and the client is not worse (FACTS §6.2); the plan template's "not improving"
    options (change the plan, refer, stop) are always there, in the template's order."""
    keep_going = status == "improved" or (status != "worse" and not trial_over)
    return (["continue"] if keep_going else []) + list(not_improving)


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
    decisions: list[Any] = field(default_factory=list)  # the latest ten, newest first
    status: str = "unknown"  # course_status of the primary measure
    trial: Trial | None = None
    prompt: str | None = None  # "worse" | "no_response" | None
    overdue: bool = False  # past the template's latest reassessment point (its range maximum)

    @property
    def due(self) -> bool:
        """The decision box is up: the reassessment point has come, or a prompt is."""
        return self.point.due or self.prompt is not None

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


def review(client, courses, today: date, active_plans: list | None = None) -> Review | None:
    """The reassessment of the client's newest active plan, or None without one.

    `courses` are progress.courses of the client's responses (already loaded by the page);
    `active_plans` the client's active plans, oldest first, when the page has read them."""
    if active_plans is not None:
        plan = active_plans[-1] if active_plans else None
    else:
        plan = (
            Plan.objects.filter(client=client, status=PlanStatus.ACTIVE)
            .order_by("-created_at")
            .first()
        )
    if plan is None:
        return None
    version = plan.current()
    visit_dates = list(
        version.visits.filter(status=VisitStatus.SIGNED).values_list("visit_date", flat=True)
    )
    # The latest few: the progress page pages through the rest.
    decisions = list(plan.reassessments.select_related("by").order_by("-decided_at")[:10])
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
    primary_id = primary_instrument(version.measures or {}, {k: c.count for k, c in by_id.items()})
    primary = by_id.get(primary_id)
    status = course_status([r.status for r in primary.readings] if primary else [])
    template = load_knowledge().plans.get(plan.template)
    not_improving = template.not_improving if template else None
    fallback = ["change_plan", "refer_physician", "stop"]
    course = trial(
        visit_dates,
        started=started_on(timezone.localtime(version.created_at).date(), visit_dates),
        after_visits=_pair(not_improving.after_visits if not_improving else None),
        after_weeks=_pair(not_improving.after_weeks if not_improving else None),
        today=today,
    )
    worse_since = timezone.localtime(primary.latest.taken_at).date() if status == "worse" else None
    return Review(
        plan=plan,
        version=version,
        point=point,
        primary=primary,
        is_improved=status == "improved",
        options=options(status, course.over, not_improving.options if not_improving else fallback),
        note=not_improving.note if not_improving else "",
        decisions=decisions,
        status=status,
        trial=course,
        prompt=prompt(status, course, last, worse_since),
        overdue=_overdue(point, template),
    )


def _pair(value) -> tuple[int, int] | None:
    return (value.min, value.max) if value is not None else None


def _overdue(point: Point, template) -> bool:
    """Past the template's latest reassessment point (e.g. the 4th of "every 3-4 sessions")."""
    if template is None or not point.due or template.reassess_after.visits is None:
        return False
    return point.visits_counted > template.reassess_after.visits.max


def trial_text(template) -> str:
    """The template's no-response rule in words, for letters."""
    if template is None:
        return ""
    rule = template.not_improving
    course = trial(
        [],
        started=date.min,
        after_visits=_pair(rule.after_visits),
        after_weeks=_pair(rule.after_weeks),
        today=date.min,
    )
    return (
        f"The plan reviews the course with the physician when there is no meaningful change "
        f"after {course.window}, or at once if the client is worse."
    )
