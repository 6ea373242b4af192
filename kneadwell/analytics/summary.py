"""One client's courses of care, summarised for the outcomes page: pure functions over plain
facts (plans, signed sessions, scores, discharges), no database.

How a course is read (docs/outcomes.md says the same for owners):
- A course is a plan. It starts on the plan's first day, or at its first signed visit if that
  is earlier; it is closed by the first discharge on or after its start.
- Its sessions are the signed visits under any version of the plan, in date order.
- Its primary measure is the first change measure in the first version's schedule, looking at
  the reassessment measures, then the baseline ones, then the every-visit ones (the order the
  reassessment uses), fixed at the start so the data cannot choose it.
- The baseline of a measure is its score closest before treatment: the last day with a score
  from 30 days before the start up to the first session's day (the first score of that day).
  Follow-ups are the scores after that day, up to the course's end (its discharge, or the start
  of the client's next course for the same condition).
- Each follow-up is read against the baseline by the one change-reading function, with the
  instrument's own minimal important change. "Sessions to improvement" is the number of
  sessions up to the first follow-up that reads improved; without one, the course is censored
  at the sessions up to its last follow-up (0 when it has none).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from kneadwell.knowledge.instruments.change import ChangeError, overall, read_change
from kneadwell.knowledge.instruments.registry import UnknownInstrument, get_instrument
from kneadwell.plans.models import PRIMARY_ORDER

BASELINE_DAYS = 30
NOT_RATED = "not rated"


@dataclass(frozen=True)
class PlanFacts:
    id: int
    condition: str
    created_on: date
    closed: bool
    measures: Mapping[str, Sequence[str]]  # the first version's schedule


@dataclass(frozen=True)
class SessionFacts:
    plan_id: int
    day: date
    order: tuple  # sorts sessions of one day: (start time or "", id)
    adverse: Sequence[Mapping[str, Any]] = ()


@dataclass(frozen=True)
class ScoreFacts:
    instrument: str
    day: date  # the local date it was taken
    order: tuple  # sorts scores of one day: (taken_at, id)
    score: float | None
    subscores: Mapping[str, float] = field(default_factory=dict)
    band: str = ""


@dataclass(frozen=True)
class MeasureSummary:
    instrument: str
    scale: str  # "" for the course-level reading, else a subscale id
    is_primary: bool
    baseline: float | None
    band: str
    band_order: int
    followups: int
    final: float | None
    improvement: float | None
    final_status: str
    event: bool
    time: int


@dataclass(frozen=True)
class CourseSummary:
    plan_id: int
    condition: str
    started_on: date
    closed: bool
    ended_on: date | None
    last_activity_on: date
    sessions: int
    first_of_condition: bool
    measures: tuple[MeasureSummary, ...]
    adverse: Mapping[tuple[str, str], int]  # (type, severity band) → count


def primary_instrument(measures: Mapping[str, Sequence[str]]) -> str | None:
    """The first change measure in the schedule (reassessment, then baseline, then every
    visit); ratings of change and screening tools cannot be one."""
    for kind in PRIMARY_ORDER:
        for instrument_id in measures.get(kind, []) or []:
            try:
                spec = get_instrument(instrument_id)
            except UnknownInstrument:  # no longer defined: it cannot be primary
                continue
            if spec.change_measure == "score":
                return spec.id
    return None


def summarise_client(
    plans: Sequence[PlanFacts],
    sessions: Sequence[SessionFacts],
    scores: Sequence[ScoreFacts],
    discharges: Sequence[date],
) -> list[CourseSummary]:
    """Every course of one client, from everything recorded for that client."""
    by_plan: dict[int, list[SessionFacts]] = {p.id: [] for p in plans}
    for session in sessions:
        if session.plan_id in by_plan:
            by_plan[session.plan_id].append(session)
    for found in by_plan.values():
        found.sort(key=lambda s: (s.day, s.order))
    starts = {p.id: min([p.created_on] + [s.day for s in by_plan[p.id][:1]]) for p in plans}
    firsts: dict[str, int] = {}
    for plan in sorted(plans, key=lambda p: (starts[p.id], p.id)):
        firsts.setdefault(plan.condition, plan.id)
    ordered_scores = sorted(scores, key=lambda s: (s.day, s.order))
    discharges = sorted(discharges)
    result = []
    for plan in plans:
        start = starts[plan.id]
        mine = by_plan[plan.id]
        ended = next((d for d in discharges if d >= start), None) if plan.closed else None
        later = [
            starts[p.id]
            for p in plans
            if p.condition == plan.condition and (starts[p.id], p.id) > (start, plan.id)
        ]
        end = ended or (min(later) - timedelta(days=1) if later else None)
        result.append(
            CourseSummary(
                plan_id=plan.id,
                condition=plan.condition,
                started_on=start,
                closed=plan.closed,
                ended_on=ended,
                last_activity_on=max([start] + [s.day for s in mine]),
                sessions=len(mine),
                first_of_condition=firsts[plan.condition] == plan.id,
                measures=tuple(_measures(plan, start, end, mine, ordered_scores)),
                adverse=adverse_counts(mine),
            )
        )
    return result


def _measures(plan, start, end, sessions, scores) -> list[MeasureSummary]:
    anchor = sessions[0].day if sessions else start
    earliest = start - timedelta(days=BASELINE_DAYS)
    primary = primary_instrument(plan.measures)
    wanted = [primary] if primary else []
    for score in scores:
        if earliest <= score.day and (end is None or score.day <= end):
            if score.instrument not in wanted and _is_change_measure(score.instrument):
                wanted.append(score.instrument)
    days = [s.day for s in sessions]
    found = []
    for instrument_id in wanted:
        series = [s for s in scores if s.instrument == instrument_id]
        before = [s for s in series if earliest <= s.day <= anchor]
        baseline = None
        if before:
            last_day = before[-1].day
            baseline = next(s for s in before if s.day == last_day)
        after = [s for s in series if s.day > anchor and (end is None or s.day <= end) and sessions]
        found += read_course(
            instrument_id,
            baseline,
            [(sum(1 for d in days if d <= s.day), s) for s in after],
            is_primary=instrument_id == primary,
        )
    return found


def _is_change_measure(instrument_id: str) -> bool:
    try:
        return get_instrument(instrument_id).change_measure == "score"
    except UnknownInstrument:  # a response to an instrument no longer defined
        return False


def read_course(
    instrument_id: str,
    baseline: ScoreFacts | None,
    followups: Sequence[tuple[int, ScoreFacts]],
    *,
    is_primary: bool,
) -> list[MeasureSummary]:
    """The course-level reading of one measure (and, where it has no total, one reading per
    subscale). `followups` pairs each later score with the sessions done by its day."""
    spec = get_instrument(instrument_id)
    scales = [None] if spec.has_total else [s.id for s in spec.subscales]
    band, band_order = baseline_band(spec, baseline)
    readings = []  # (sessions done, {scale: ChangeReading}) per readable follow-up
    for sessions, score in followups:
        found = {}
        for scale in scales:
            before, now = _value(baseline, scale), _value(score, scale)
            if before is None or now is None:
                continue
            try:
                found[scale] = read_change(spec, before, now, subscale=scale)
            except ChangeError:
                continue
        if found:
            readings.append((sessions, found))
    row = functools.partial(_row, spec.id, is_primary=is_primary, band=(band, band_order))
    if spec.has_total:
        series = [(done, r[None].status, r[None]) for done, r in readings]
        return [row("", _value(baseline, None), series)]
    # No total (ZCQ): the subscales read together, as the reassessment reads them; each
    # subscale also keeps its own change, for the mean change.
    combined = [(done, overall([x.status for x in r.values()]), None) for done, r in readings]
    rows = [row("", _first_subscore(baseline), combined)]
    for scale in scales:
        if _value(baseline, scale) is not None:
            series = [(done, r[scale].status, r[scale]) for done, r in readings if scale in r]
            rows.append(row(scale, _value(baseline, scale), series))
    return rows


def _row(instrument, scale, baseline, series, *, is_primary, band) -> MeasureSummary:
    """`series`: (sessions done, status, ChangeReading or None) per readable follow-up."""
    first = next((done for done, status, _ in series if status == "improved"), None)
    last_done, last_status, last = series[-1] if series else (0, "", None)
    return MeasureSummary(
        instrument=instrument,
        scale=scale,
        is_primary=is_primary,
        baseline=baseline,
        band=band[0],
        band_order=band[1],
        followups=len(series),
        final=None if last is None else last.current,
        improvement=None if last is None else last.improvement,
        final_status=last_status,
        event=first is not None,
        time=first if first is not None else last_done,
    )


def _value(score: ScoreFacts | None, scale: str | None) -> float | None:
    if score is None:
        return None
    return score.score if scale is None else score.subscores.get(scale)


def _first_subscore(score: ScoreFacts | None) -> float | None:
    if score is None:
        return None
    spec = get_instrument(score.instrument)
    return score.subscores.get(spec.subscales[0].id) if spec.subscales else None


def baseline_band(spec, baseline: ScoreFacts | None) -> tuple[str, int]:
    """The baseline's severity band: the instrument's published (or conventional) band where
    it has bands, else the third of the scale it falls in (labelled so: no published bands).
    Instruments without a total are placed by their first subscale."""
    if baseline is None:
        return "", 0
    if spec.bands is not None:
        labels = [b.label for b in spec.bands.items]
        if baseline.band in labels:
            return baseline.band, labels.index(baseline.band) + 1
        return "", 0
    if spec.has_total:
        value, (low, high) = baseline.score, spec.range
    else:
        first = spec.subscales[0]
        value, (low, high) = baseline.subscores.get(first.id), first.range
    if value is None:
        return "", 0
    step = (high - low) / 3
    one, two = round(low + step, 2), round(low + 2 * step, 2)
    if value < one:
        return f"lower third (below {one:g})", 1
    if value < two:
        return f"middle third ({one:g} to below {two:g})", 2
    return f"upper third ({two:g} or more)", 3


def adverse_counts(sessions: Sequence[SessionFacts]) -> dict[tuple[str, str], int]:
    """Adverse effects by type and severity band. Severity is rated 0–10, so it is banded as
    the NPRS is (the NPRS file's bands: a convention, FACTS §3.2.1); unrated ones say so."""
    bands = get_instrument("nprs").bands
    counts: dict[tuple[str, str], int] = {}
    for session in sessions:
        for row in session.adverse or ():
            kind = str(row.get("kind") or "other")
            severity = row.get("severity")
            label = NOT_RATED
            if isinstance(severity, int | float) and bands is not None:
                label = next(
                    (
                        b.label
                        for b in bands.items
                        if all(c.matches(float(severity)) for c in b.when)
                    ),
                    NOT_RATED,
                )
            counts[(kind, label)] = counts.get((kind, label), 0) + 1
    return counts
