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
    """An instrument's responses for one client, oldest first, with the latest change."""

    instrument: Any  # schema.Instrument
    responses: Sequence[Any]  # models.Response, oldest first
    readings: Sequence[Reading]

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
    """Group a client's responses by instrument (in the order instruments were first used)."""
    grouped: dict[str, list[Any]] = {}
    for response in sorted(responses, key=lambda r: (r.taken_at, r.pk or 0)):
        grouped.setdefault(response.instrument, []).append(response)
    result = []
    for instrument_id, series in grouped.items():
        result.append(
            Course(
                instrument=get_instrument(instrument_id),
                responses=series,
                readings=readings(series[0], series[-1]),
            )
        )
    return result


def _reading(label: str, change: ChangeReading) -> Reading:
    return Reading(
        label=label,
        status=change.status,
        status_label=STATUS_LABELS[change.status],
        thresholds_met=describe_thresholds(change),
        reading=change,
    )


def describe_thresholds(change: ChangeReading) -> str:
    """Which thresholds were met, in words: colour is never the only signal."""
    if change.baseline is None:
        return "; ".join(t.description for t in change.thresholds)
    decimals = get_instrument(change.instrument).display_decimals
    parts = []
    if change.absolute_threshold is not None:
        points = round_for_display(abs(change.improvement), decimals)
        unit = "point" if points == 1 else "points"
        parts.append(
            f"{points:g} {unit} against ≥ {change.absolute_threshold:g}: "
            f"{'met' if change.absolute_met else 'not met'}"
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
    return "; ".join(parts)
