"""My progress: the client's scores in plain words beside the same server-drawn charts the
clinic sees (measures/graphs.py). The words say what the numbers show and no more: a change is
compared with the change people usually notice, and nothing is said about why it changed."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.safestring import mark_safe

from kneadwell.knowledge.instruments.scoring import round_for_display
from kneadwell.measures import graphs, progress


@dataclass(frozen=True)
class Told:
    title: str
    sentences: list[str]
    charts: list[dict]


def _show(value: float, decimals: int) -> str:
    return f"{round_for_display(value, decimals):g}"


def noticeable(change) -> str:
    """The change people usually notice, in words ("10 points"), or "" when the instrument
    reads change against something else (a measurement error, the 30% rule alone)."""
    own = next((t for t in change.thresholds if t.role == "mic"), None)
    if own is None or own.type == "mdc":
        return ""
    if change.absolute_threshold is not None:
        unit = "point" if change.absolute_threshold == 1 else "points"
        return f"{change.absolute_threshold:g} {unit}"
    if change.mic_percent_threshold is not None:
        return f"{change.mic_percent_threshold:g}%"
    return ""


def sentences(course) -> list[str]:
    """What the course shows, in plain words."""
    spec = course.instrument
    name = f"your {spec.name} ({spec.short_name})"
    if course.context_label:
        name += f", {course.context_label[:1].lower()}{course.context_label[1:]}"
    better = "higher" if spec.direction.value == "higher_is_better" else "lower"
    if len(course.responses) < 2 or not course.readings:
        latest = course.latest
        score = "" if latest.score is None else f": {_show(latest.score, spec.display_decimals)}"
        return [
            f"{name[:1].upper()}{name[1:]}{score}. With one answer there is nothing to compare "
            "yet; your next answers will show how it changes."
        ]
    said = []
    for reading in course.readings:
        change = reading.reading
        label = "" if reading.label in ("Total", "Rating") else f" ({reading.label.lower()})"
        if change.baseline is None:
            said.append(f"{name[:1].upper()}{name[1:]}: {reading.status_label.lower()}.")
            continue
        before = _show(change.baseline, spec.display_decimals)
        now = _show(change.current, spec.display_decimals)
        words = f"{name[:1].upper()}{name[1:]}{label} went from {before} to {now}"
        words += f" ({better} is better on this questionnaire)."
        threshold = noticeable(change)
        if threshold:
            words += f" A change of {threshold} or more is one people usually notice."
        said.append(words)
        said.append(
            {
                "improved": "That is a change of that size or more, for the better.",
                "worse": "That is a change of that size or more, for the worse: talk to your "
                "therapist about it.",
                "no_meaningful_change": "That is less than the change people usually notice, "
                "so it may not be a real change yet.",
            }[change.status]
        )
    return said


def for_client(client) -> list[Told]:
    responses = list(client.measure_responses.chronological())
    told = []
    for course in progress.courses(responses):
        charts = [
            {
                "series": series,
                # graphs.svg escapes every piece of text it writes.
                "svg": mark_safe(graphs.svg(series)),  # noqa: S308
                "rows": graphs.table_rows(series),
            }
            for series in graphs.series_for(course)
        ]
        told.append(Told(course.title, sentences(course), charts))
    return told
