"""Reads a change in score against the minimal important change: improved, no meaningful
change or worse, by the absolute threshold and by percent, in the instrument's direction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from kneadwell.knowledge.instruments.registry import get_instrument
from kneadwell.knowledge.instruments.schema import Direction, Instrument, Mic

Status = Literal["improved", "no_meaningful_change", "worse"]

# Exactly at a threshold counts as met; the tolerance only absorbs float noise (0.1 + 0.2).
TOLERANCE = 1e-9

DEFAULT_PERCENT_SOURCE = (
    "Ostelo RWJG et al., Spine 2008;33:90–94: a 30% improvement is a useful threshold on each "
    "low back pain measure. Used here as Kneadwell's default."
)


class ChangeError(ValueError):
    """This change cannot be read (no threshold, not a change measure, value off the scale)."""


@dataclass(frozen=True)
class Threshold:
    """One threshold used, with where it comes from."""

    kind: Literal["absolute", "percent", "rating"]
    value: float | None  # None for rating thresholds, which are described in `description`
    type: str  # individual_mic | between_group | mdc | default | given | rating
    description: str
    sources: tuple[str, ...]
    confidence: str


@dataclass(frozen=True)
class ChangeReading:
    instrument: str
    subscale: str | None
    status: Status
    baseline: float | None  # None for single-time ratings of change (PGIC, GROC)
    current: float
    delta: float | None  # current − baseline, in the instrument's own direction
    improvement: float | None  # points of improvement: positive is better, whatever the direction
    percent: float | None  # improvement as a percent of baseline; None when baseline is 0
    absolute_met: bool | None  # |improvement| ≥ absolute threshold; None when there is none
    percent_met: bool | None  # |percent| ≥ percent threshold; None when not assessable
    absolute_threshold: float | None
    percent_threshold: float | None
    direction: str
    thresholds: tuple[Threshold, ...]
    notes: tuple[str, ...] = ()


def read_change(
    instrument: Instrument | str,
    baseline: float | None,
    current: float,
    percent_threshold: float | None = 30,
    absolute: float | None = None,
    *,
    subscale: str | None = None,
    require: Literal["either", "both"] = "either",
) -> ChangeReading:
    """Read the change from `baseline` to `current` (full-precision scores).

    The absolute threshold defaults to the instrument's first individual MIC (for `subscale`,
    where the instrument has subscales), else its first MDC; pass `absolute` to override, and
    `percent_threshold=None` to read by points only. With require="either" (default) a change
    is meaningful when either threshold is met; with "both", when every available one is.
    For single-time ratings of change (PGIC, GROC) `current` is the rating and `baseline` is
    ignored."""
    if isinstance(instrument, str):
        instrument = get_instrument(instrument)
    if instrument.change_measure == "none":
        raise ChangeError(
            f"{instrument.short_name} is not a change measure; compare its risk groups instead"
        )
    if instrument.change_measure == "rating":
        return read_rating(instrument, current)

    low, high = _scale(instrument, subscale)
    for name, value in (("baseline", baseline), ("current", current)):
        if value is None or not low <= value <= high:
            raise ChangeError(
                f"{instrument.short_name} {name} {value!r} is outside the scale {low:g}–{high:g}"
            )

    sign = 1 if instrument.direction == Direction.HIGHER_IS_BETTER else -1
    delta = current - baseline
    improvement = sign * delta
    notes: list[str] = []
    thresholds: list[Threshold] = []

    absolute_threshold = absolute
    if absolute is not None:
        thresholds.append(
            Threshold("absolute", absolute, "given", "Given by the caller", (), "design")
        )
    else:
        mic = _default_mic(instrument, subscale)
        if mic is not None:
            absolute_threshold = mic.absolute
            thresholds.append(
                Threshold(
                    "absolute",
                    mic.absolute,
                    mic.type,
                    mic.population,
                    tuple(mic.sources),
                    mic.confidence.value,
                )
            )
        else:
            notes.append(f"{instrument.short_name} has no published absolute threshold here.")

    percent = None
    if baseline == 0:
        notes.append("Baseline is 0, so a percent change cannot be computed.")
    else:
        percent = improvement / abs(baseline) * 100
    if percent_threshold is not None:
        thresholds.append(_percent_source(instrument, subscale, percent_threshold))

    absolute_met = (
        None if absolute_threshold is None else abs(improvement) >= absolute_threshold - TOLERANCE
    )
    percent_met = (
        None
        if percent_threshold is None or percent is None
        else abs(percent) >= percent_threshold - TOLERANCE
    )
    assessable = [m for m in (absolute_met, percent_met) if m is not None]
    if not assessable:
        raise ChangeError(
            f"{instrument.short_name}: no threshold to read this change against; "
            "pass absolute= or percent_threshold="
        )
    met = any(assessable) if require == "either" else all(assessable)

    status: Status = "no_meaningful_change"
    if met and improvement > 0:
        status = "improved"
    elif met and improvement < 0:
        status = "worse"
    return ChangeReading(
        instrument=instrument.id,
        subscale=subscale,
        status=status,
        baseline=baseline,
        current=current,
        delta=delta,
        improvement=improvement,
        percent=percent,
        absolute_met=absolute_met,
        percent_met=percent_met,
        absolute_threshold=absolute_threshold,
        percent_threshold=percent_threshold,
        direction=instrument.direction.value,
        thresholds=tuple(thresholds),
        notes=tuple(notes),
    )


def read_rating(instrument: Instrument | str, value: float) -> ChangeReading:
    """Read a single-time global rating of change (PGIC, GROC) against its published
    threshold, e.g. PGIC "much" or "very much improved" (options 1–2) is improved."""
    if isinstance(instrument, str):
        instrument = get_instrument(instrument)
    rating = instrument.rating_change
    if rating is None:
        raise ChangeError(f"{instrument.short_name} is not a rating of change")
    low, high = instrument.range
    if value is None or not low <= value <= high:
        raise ChangeError(f"{instrument.short_name} rating {value!r} is outside {low:g}–{high:g}")

    status: Status = "no_meaningful_change"
    if rating.improved.matches(value):
        status = "improved"
    elif rating.worse.matches(value):
        status = "worse"
    threshold = Threshold(
        "rating",
        None,
        "rating",
        f"improved: {_describe(rating.improved)}; worse: {_describe(rating.worse)}",
        tuple(rating.sources),
        rating.confidence.value,
    )
    return ChangeReading(
        instrument=instrument.id,
        subscale=None,
        status=status,
        baseline=None,
        current=value,
        delta=None,
        improvement=None,
        percent=None,
        absolute_met=None,
        percent_met=None,
        absolute_threshold=None,
        percent_threshold=None,
        direction=instrument.direction.value,
        thresholds=(threshold,),
        notes=(rating.note,) if rating.note else (),
    )


def _scale(instrument: Instrument, subscale: str | None) -> tuple[float, float]:
    if subscale is None:
        if not instrument.has_total:
            names = ", ".join(s.id for s in instrument.subscales)
            raise ChangeError(
                f"{instrument.short_name} has no total score; read a subscale: {names}"
            )
        return instrument.range
    found = instrument.subscale(subscale)
    if found is None:
        names = ", ".join(s.id for s in instrument.subscales) or "none"
        raise ChangeError(
            f"{instrument.short_name} has no subscale {subscale!r}; subscales: {names}"
        )
    return found.range


def _default_mic(instrument: Instrument, subscale: str | None) -> Mic | None:
    candidates = [m for m in instrument.mic if m.subscale == subscale and m.absolute is not None]
    for kind in ("individual_mic", "mdc"):
        for mic in candidates:
            if mic.type == kind:
                return mic
    return None


def _percent_source(instrument: Instrument, subscale: str | None, value: float) -> Threshold:
    for mic in instrument.mic:
        if mic.subscale == subscale and mic.percent == value:
            return Threshold(
                "percent",
                value,
                mic.type,
                mic.population,
                tuple(mic.sources),
                mic.confidence.value,
            )
    return Threshold(
        "percent",
        value,
        "default",
        f"Kneadwell default; not a published threshold for {instrument.short_name}",
        (DEFAULT_PERCENT_SOURCE,),
        "design",
    )


def _describe(condition) -> str:
    parts = []
    if condition.min is not None:
        parts.append(f"≥ {condition.min:g}")
    if condition.above is not None:
        parts.append(f"> {condition.above:g}")
    if condition.max is not None:
        parts.append(f"≤ {condition.max:g}")
    return " and ".join(parts)


def overall(statuses: Sequence[str]) -> Status:
    """Several readings of one course taken together (ZCQ is read per subscale; other
    instruments give one reading): improved when at least one improved and none got worse,
    worse when any got worse, else no meaningful change."""
    if "worse" in statuses:
        return "worse"
    return "improved" if "improved" in statuses else "no_meaningful_change"
