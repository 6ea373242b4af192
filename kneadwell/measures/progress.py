"""Each instrument's course for one client: baseline, latest, and the change read against the
minimal important change. Plain functions over recorded responses, shared by the chart section,
the measures page and the API."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from kneadwell.knowledge.instruments.change import (
    ChangeError,
    ChangeReading,
    read_change,
    read_rating,
)
from kneadwell.knowledge.instruments.registry import get_instrument
from kneadwell.knowledge.instruments.scoring import round_for_display

STATUS_LABELS = {
    "improved": "Improved",
    "no_meaningful_change": "No meaningful change",
    "worse": "Worse",
}


@dataclass(frozen=True)
class Reading:
    """One score's change (the total, or a subscale where there is no total)."""

    label: str  # "Total", or the subscale's name
    status: str  # improved | no_meaningful_change | worse
    status_label: str
    thresholds_met: str  # e.g. "by points (≥ 2): met; by percent (≥ 30%): not met"
    reading: ChangeReading


@dataclass(frozen=True)
class Course:
    """An instrument's responses for one client, oldest first, with the latest change.

    Values over different recall periods are not interchangeable (the NPRS "pain right now" at
    a visit against the weekly average), so each period is a course of its own: `context` holds
    the instrument's choice context that sets it apart, e.g. (("recall", "now"),).
    """

    instrument: Any  # schema.Instrument
    responses: Sequence[Any]  # models.Response, oldest first (or only its two ends: `ends`)
    readings: Sequence[Reading]
    context: tuple[tuple[str, str], ...] = ()
    count: int | None = None  # how many responses the course has; len(responses) when None

    def __post_init__(self):
        if self.count is None:
            object.__setattr__(self, "count", len(self.responses))

    @property
    def key(self) -> str:
        """Unique among a client's courses, for element ids: "nprs-now", "odi"."""
        return "-".join([self.instrument.id, *(code for _, code in self.context)])

    @property
    def context_label(self) -> str:
        """The recall period (or other choice) in words: "Pain right now"; "" for none."""
        labels = []
        for field_id, code in self.context:
            field = next(f for f in self.instrument.context if f.id == field_id)
            labels.append(next((c.label for c in field.choices if c.code == code), code))
        return "; ".join(labels)

    @property
    def title(self) -> str:
        """The course as a heading: "NPRS: pain right now", or "ODI"."""
        label = self.context_label
        return (
            f"{self.instrument.short_name}: {label[:1].lower()}{label[1:]}"
            if label
            else (self.instrument.short_name)
        )

    @property
    def baseline(self):
        return self.responses[0]

    @property
    def latest(self):
        return self.responses[-1]


def readings(baseline, current) -> list[Reading]:
    """Read `current` against `baseline` (two responses to the same instrument). Ratings of
    change (PGIC, GROC) read the current rating alone; screening tools (STarT Back) give none."""
    instrument = get_instrument(current.instrument)
    if instrument.change_measure == "none":
        return []
    try:
        if instrument.change_measure == "rating":
            return [_reading("Rating", read_rating(instrument, current.score))]
        if baseline is current:
            return []
        if instrument.has_total:
            if baseline.score is None or current.score is None:
                return []
            return [_reading("Total", read_change(instrument, baseline.score, current.score))]
        found = []
        for sub in instrument.subscales:
            before, now = baseline.subscores.get(sub.id), current.subscores.get(sub.id)
            if before is not None and now is not None:
                change = read_change(instrument, before, now, subscale=sub.id)
                found.append(_reading(sub.name, change))
        return found
    except ChangeError:
        return []


def courses(responses: Iterable[Any]) -> list[Course]:
    """Group a client's responses by instrument and recall period (in the order first used);
    each course is read against its own baseline, never against another period's."""
    grouped: dict[tuple, list[Any]] = {}
    for response in sorted(responses, key=lambda r: (r.taken_at, r.pk or 0)):
        key = (response.instrument, series_context(response))
        grouped.setdefault(key, []).append(response)
    return [
        Course(
            instrument=get_instrument(instrument_id),
            responses=series,
            readings=readings(series[0], series[-1]),
            context=context,
        )
        for (instrument_id, context), series in grouped.items()
    ]


def ends(rows: Iterable[tuple[Any, int]]) -> list[Course]:
    """Courses that carry only their baseline and latest response, for pages that show no
    more than that (the chart): `rows` are (response, the course's number of responses) for
    the first and last response of each course, in any order (`Response.objects.course_ends`
    finds them in SQL, so the cost does not grow with the number of scores)."""
    grouped: dict[tuple, list[Any]] = {}
    counts: dict[tuple, int] = {}
    for response, count in sorted(rows, key=lambda row: (row[0].taken_at, row[0].pk or 0)):
        key = (response.instrument, series_context(response))
        grouped.setdefault(key, []).append(response)
        counts[key] = count
    return [
        Course(
            instrument=get_instrument(instrument_id),
            responses=[series[0], series[-1]] if len(series) > 1 else series[:1],
            readings=readings(series[0], series[-1]),
            context=context,
            count=counts[instrument_id, context],
        )
        for (instrument_id, context), series in grouped.items()
    ]


def series_context(response) -> tuple[tuple[str, str], ...]:
    """The response's choice context (the NPRS recall period): values with different choices
    belong to different series."""
    spec = get_instrument(response.instrument)
    return tuple(
        (field.id, str(response.context[field.id]))
        for field in spec.context
        if field.kind == "choice" and response.context.get(field.id) is not None
    )


def _reading(label: str, change: ChangeReading) -> Reading:
    return Reading(
        label=label,
        status=change.status,
        status_label=STATUS_LABELS[change.status],
        thresholds_met=describe_thresholds(change),
        reading=change,
    )


def describe_thresholds(change: ChangeReading) -> str:
    """Which thresholds were met, in words: colour is never the only signal. Both the
    instrument's own threshold and the 30% rule are given, and a change that meets only one
    says so (FACTS §6.2: "compute both; flag when only one is met")."""
    if change.baseline is None:
        return "; ".join(t.description for t in change.thresholds)
    decimals = get_instrument(change.instrument).display_decimals
    own = next((t for t in change.thresholds if t.role == "mic"), None)
    parts = []
    if change.absolute_threshold is not None:
        points = round_for_display(abs(change.improvement), decimals)
        unit = "point" if points == 1 else "points"
        against = "the MDC " if own is not None and own.type == "mdc" else ""
        parts.append(
            f"{points:g} {unit} against {against}≥ {change.absolute_threshold:g}: "
            f"{'met' if change.absolute_met else 'not met'}"
        )
    if change.mic_percent_threshold is not None:
        if change.percent is None:
            parts.append("the minimal important change: not assessable from a baseline of 0")
        else:
            percent = round_for_display(abs(change.percent), 0)
            parts.append(
                f"{percent:g}% against the minimal important change ≥ "
                f"{change.mic_percent_threshold:g}%: {'met' if change.mic_met else 'not met'}"
            )
    if change.percent_threshold is not None:
        if change.percent is None:
            parts.append("percent: not assessable from a baseline of 0")
        else:
            percent = round_for_display(abs(change.percent), 0)
            parts.append(
                f"{percent:g}% against ≥ {change.percent_threshold:g}%: "
                f"{'met' if change.percent_met else 'not met'}"
            )
    if change.only_one_met:
        parts.append("only one of the two rules is met")
    return "; ".join(parts)
