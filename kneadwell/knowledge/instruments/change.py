"""Reads a change in score as FACTS §6.2 defines a response: improvement of at least the
instrument's own minimal important change (its MIC, or its MDC where that is the threshold the
instrument publishes) **or** at least 30% from baseline, computing both and saying when only one
is met. Each instrument's thresholds come from its data file through ``change_rule``, the one
place that says how an instrument's change is read (analytics and letters quote it too)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from kneadwell.knowledge.instruments.registry import get_instrument
from kneadwell.knowledge.instruments.schema import Direction, Instrument, Mic

Status = Literal["improved", "no_meaningful_change", "worse"]

# Exactly at a threshold counts as met; the tolerance only absorbs float noise (0.1 + 0.2).
TOLERANCE = 1e-9

# FACTS §6.2: "Response definition: improvement ≥ the individual MIC or ≥30% from baseline
# (Ostelo 2008; Farrar 2001). Compute both; flag when only one is met." A proposed convention.
PERCENT_RULE = 30
DEFAULT_PERCENT_SOURCE = (
    "FACTS.md §6.2 (proposed convention): a response is the instrument's MIC or ≥30% from "
    "baseline (Ostelo RWJG et al., Spine 2008;33:90–94; Farrar JT et al., Pain 2001). Applied "
    "to this instrument by that convention; no 30% threshold is published for it."
)

TYPE_WORDS = {
    "individual_mic": "minimal important change (individual)",
    "mdc": "minimal detectable change",
    "between_group": "between-group difference",
    "given": "threshold given",
    "default": "30% rule",
}


class ChangeError(ValueError):
    """This change cannot be read (no threshold, not a change measure, value off the scale)."""


@dataclass(frozen=True)
class Threshold:
    """One threshold used, with where it comes from. ``role``: "mic" (the instrument's own
    minimal important or detectable change) or "rule" (the 30% rule of FACTS §6.2)."""

    kind: Literal["absolute", "percent", "rating"]
    value: float | None  # None for rating thresholds, which are described in `description`
    type: str  # individual_mic | between_group | mdc | default | given | rating
    description: str
    sources: tuple[str, ...]
    confidence: str
    role: Literal["mic", "rule", "rating"] = "mic"

    def words(self) -> str:
        """E.g. "≥ 5 points (minimal important change (individual))" or "≥ 30% (30% rule)"."""
        unit = "%" if self.kind == "percent" else " points"
        label = "30% rule" if self.role == "rule" else TYPE_WORDS.get(self.type, self.type)
        return f"≥ {self.value:g}{unit} ({label})"


@dataclass(frozen=True)
class ChangeRule:
    """How one instrument's score is read for change: its own threshold and the 30% rule."""

    instrument: str
    short_name: str
    subscale: str | None
    mic: Threshold | None  # the instrument's own threshold (points or percent), if published
    percent_rule: Threshold | None  # the 30% rule; None when the caller reads by points only

    def text(self) -> str:
        """The rule in words, as letters and reports quote it."""
        parts = []
        if self.mic is not None:
            unit = "%" if self.mic.kind == "percent" else " points"
            about = [TYPE_WORDS.get(self.mic.type, self.mic.type), self.mic.description]
            if self.mic.confidence == "unconfirmed":
                about.append("unconfirmed")
            parts.append(f"at least {self.mic.value:g}{unit} ({'; '.join(a for a in about if a)})")
        if self.percent_rule is not None and not (
            self.mic is not None
            and self.mic.kind == "percent"
            and self.mic.value == self.percent_rule.value
        ):
            parts.append(f"at least {self.percent_rule.value:g}% from baseline")
        if not parts:
            return f"{self.short_name}: no published threshold"
        return f"{self.short_name}: a meaningful change is " + " or ".join(parts)


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
    percent_met: bool | None  # |percent| ≥ the 30% rule; None when not assessable
    absolute_threshold: float | None  # the MIC in points (or a given one), if it is in points
    percent_threshold: float | None  # the 30% rule
    direction: str
    thresholds: tuple[Threshold, ...]
    notes: tuple[str, ...] = ()
    mic_percent_threshold: float | None = None  # the MIC when it is a percent (FIQR's 14%)
    mic_met: bool | None = None  # the instrument's own threshold, in points or percent

    @property
    def only_one_met(self) -> bool:
        """FACTS §6.2: flag a change that meets one of the two rules but not the other."""
        return (
            self.mic_met is not None
            and self.percent_met is not None
            and self.mic_met != self.percent_met
        )


def change_rule(
    instrument: Instrument | str,
    subscale: str | None = None,
    percent_threshold: float | None = PERCENT_RULE,
) -> ChangeRule:
    """The thresholds a change on this instrument (or subscale) is read against: its own MIC or
    MDC from the data file (the one marked reads_change, else the first individual MIC, else
    the first MDC), and the 30% rule with its source."""
    if isinstance(instrument, str):
        instrument = get_instrument(instrument)
    mic = _reading_mic(instrument, subscale)
    own = None
    if mic is not None:
        kind = "absolute" if mic.absolute is not None else "percent"
        own = Threshold(
            kind,
            mic.absolute if mic.absolute is not None else mic.percent,
            mic.type,
            mic.population,
            tuple(mic.sources),
            mic.confidence.value,
            "mic",
        )
    rule = None
    if percent_threshold is not None:
        rule = _percent_source(instrument, subscale, percent_threshold)
    return ChangeRule(instrument.id, instrument.short_name, subscale, own, rule)


def rule_texts(instrument: Instrument | str) -> list[str]:
    """How the instrument's change is read, in words: one line for its total, or one per
    subscale where it has no total (ZCQ). Letters quote these."""
    if isinstance(instrument, str):
        instrument = get_instrument(instrument)
    if instrument.change_measure != "score":
        return []
    if instrument.has_total:
        return [change_rule(instrument).text()]
    texts = []
    for sub in instrument.subscales:
        rule = change_rule(instrument, sub.id)
        if rule.mic is not None:
            texts.append(
                rule.text().replace(instrument.short_name, f"{instrument.short_name} {sub.name}", 1)
            )
    return texts


def read_change(
    instrument: Instrument | str,
    baseline: float | None,
    current: float,
    percent_threshold: float | None = PERCENT_RULE,
    absolute: float | None = None,
    *,
    subscale: str | None = None,
    require: Literal["either", "both"] = "either",
) -> ChangeReading:
    """Read the change from `baseline` to `current` (full-precision scores).

    The instrument's own threshold comes from ``change_rule`` (pass `absolute` to replace it by
    a number of points); the 30% rule is `percent_threshold` (None reads by the instrument's
    threshold only). With require="either" (default, FACTS §6.2) a change is meaningful when
    either is met; with "both", when every assessable one is. For single-time ratings of change
    (PGIC, GROC) `current` is the rating and `baseline` is ignored."""
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
    rule = change_rule(instrument, subscale, percent_threshold)

    mic = rule.mic
    if absolute is not None:
        mic = Threshold("absolute", absolute, "given", "Given by the caller", (), "design", "mic")
    if mic is not None:
        thresholds.append(mic)
    else:
        notes.append(f"{instrument.short_name} has no published threshold of its own here.")

    percent = None
    if baseline == 0:
        notes.append("Baseline is 0, so a percent change cannot be computed.")
    else:
        percent = improvement / abs(baseline) * 100
    if rule.percent_rule is not None:
        thresholds.append(rule.percent_rule)

    absolute_threshold = mic.value if mic is not None and mic.kind == "absolute" else None
    mic_percent = mic.value if mic is not None and mic.kind == "percent" else None
    absolute_met = (
        None if absolute_threshold is None else abs(improvement) >= absolute_threshold - TOLERANCE
    )
    mic_percent_met = (
        None if mic_percent is None or percent is None else abs(percent) >= mic_percent - TOLERANCE
    )
    mic_met = absolute_met if absolute_met is not None else mic_percent_met
    percent_met = (
        None
        if percent_threshold is None or percent is None
        else abs(percent) >= percent_threshold - TOLERANCE
    )
    assessable = [m for m in (mic_met, percent_met) if m is not None]
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
        mic_percent_threshold=mic_percent,
        mic_met=mic_met,
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
        "rating",
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


def _reading_mic(instrument: Instrument, subscale: str | None) -> Mic | None:
    candidates = [m for m in instrument.mic if m.subscale == subscale and m.type != "between_group"]
    for mic in candidates:
        if mic.reads_change:
            return mic
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
                "rule",
            )
    return Threshold(
        "percent",
        value,
        "default",
        f"The 30% rule of FACTS §6.2; not a published threshold for {instrument.short_name}",
        (DEFAULT_PERCENT_SOURCE,),
        "design",
        "rule",
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
