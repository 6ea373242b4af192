"""Progress charts as SVG, drawn on the server from plain values: one module, so the same
picture appears on screen, in the portal and in PDF letters (no JavaScript, no external refs).

`series_for` turns a client's course of one instrument into a `Series`; `layout` places it;
`svg` writes the markup. The outcomes page's step curves (`step_svg`) and bars (`bars_svg`)
are drawn here too. Colours are SVG presentation attributes, so the chart reads on its
own; CSS classes let a page restyle it (a CSP forbids inline style attributes).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from html import escape
from typing import Any

from django.utils import timezone

from kneadwell.knowledge.instruments.change import change_rule
from kneadwell.knowledge.instruments.scoring import round_for_display

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 24, 28, 40
PLOT_WIDTH, PLOT_HEIGHT = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
NICE_STEPS = (0.5, 1, 2, 2.5, 5, 10, 20, 25, 50)


@dataclass(frozen=True)
class Point:
    """A score on a day; when a long series is thinned, the median of `count` scores from
    `day` to `until`."""

    day: date
    score: float
    count: int = 1
    until: date | None = None


@dataclass(frozen=True)
class Mark:
    """A vertical mark: where the plan changed."""

    day: date
    label: str


@dataclass(frozen=True)
class Series:
    """One score over time (an instrument's total, or one subscale) and how to read it."""

    key: str  # unique on the page, for element ids: "nprs", "zcq-severity"
    title: str  # "NPRS", "ZCQ symptom severity"
    low: float
    high: float
    higher_is_better: bool
    points: Sequence[Point]  # oldest first
    decimals: int = 0
    mic: float | None = None  # the absolute minimal important change, in points
    percent: float | None = 30  # the percent threshold from baseline
    marks: Sequence[Mark] = ()
    # A thinned series (`thinned`) draws one median per period of this many days; the scores
    # it stands for are `scores` (the full series, for the baseline, the words and the table).
    period_days: int = 0
    scores: Sequence[Point] = ()

    @property
    def every_score(self) -> Sequence[Point]:
        return self.scores or self.points

    @property
    def baseline(self) -> float | None:
        return self.every_score[0].score if self.every_score else None

    def show(self, value: float) -> str:
        return f"{round_for_display(value, self.decimals):g}"


@dataclass(frozen=True)
class Layout:
    """Where everything goes, in SVG user units (y grows downwards)."""

    points: list[tuple[float, float, Point]]
    marks: list[tuple[float, Mark]]
    y_ticks: list[tuple[float, float]]  # (y, score)
    baseline_y: float | None
    band: tuple[float, float] | None  # (top y, bottom y) of baseline ± MIC, clipped
    percent_lines: list[tuple[float, str]]  # (y, "better" | "worse")
    first_day: date | None
    last_day: date | None


# A chart draws at most this many points: beyond it, one median per period (`thinned`).
MOST_POINTS = 60
PERIODS = (7, 14, 28, 91, 182, 365, 728)


def thinned(series: Series, most: int = MOST_POINTS) -> Series:
    """The series as drawn: itself when it has at most `most` points, else the median score
    of each period (a week, two, four, a quarter… the shortest that gives at most `most`
    points), each point standing for the scores of its period. The table keeps every score."""
    points = list(series.points)
    if len(points) <= most or not points:
        return series
    first = points[0].day
    for days in PERIODS:
        buckets: dict[int, list[Point]] = {}
        for point in points:
            buckets.setdefault((point.day - first).days // days, []).append(point)
        if len(buckets) <= most:
            break
    drawn = []
    for _, group in sorted(buckets.items()):
        scores = sorted(p.score for p in group)
        middle = len(scores) // 2
        median = scores[middle] if len(scores) % 2 else (scores[middle - 1] + scores[middle]) / 2
        drawn.append(Point(group[0].day, median, count=len(group), until=group[-1].day))
    if len(drawn) > most:  # over more years than the longest period covers: keep it bounded
        step = math.ceil(len(drawn) / most)
        drawn = drawn[::step]
    return replace(series, points=drawn, period_days=days, scores=points)


def period_words(days: int) -> str:
    """The period a thinned chart's points stand for, after "a": "week", "quarter"."""
    named = {7: "week", 14: "fortnight", 91: "quarter", 182: "half-year", 365: "year"}
    return named.get(days, f"{days // 7}-week period")


def y_for(series: Series, score: float) -> float:
    """The y of a score: the scale's top at the top of the plot, whatever the direction."""
    share = (score - series.low) / (series.high - series.low)
    return round(TOP + PLOT_HEIGHT * (1 - share), 2)


def x_for(day: date, first: date, last: date) -> float:
    span = (last - first).days
    if span <= 0:
        return round(LEFT + PLOT_WIDTH / 2, 2)
    return round(LEFT + PLOT_WIDTH * (day - first).days / span, 2)


def ticks(low: float, high: float, most: int = 5) -> list[float]:
    """Round-numbered ticks from `low` to `high`, both ends included."""
    step = next((s for s in NICE_STEPS if (high - low) / s <= most), (high - low) / most)
    found = [low]
    value = math.floor(low / step + 1) * step
    while value < high - step / 4:
        if value - found[-1] >= step / 2:
            found.append(round(value, 6))
        value += step
    found.append(high)
    return found


def layout(series: Series) -> Layout:
    days = [p.day for p in series.points]
    first = min(days) if days else None
    # Plan changes after the last score still show: "changed the plan, no score since".
    marks = [m for m in series.marks if first is not None and m.day >= first]
    ends = [p.until or p.day for p in series.points]
    last = max(ends + [m.day for m in marks]) if days else None
    placed = [(x_for(p.day, first, last), y_for(series, p.score), p) for p in series.points]
    baseline = series.baseline
    band = None
    lines: list[tuple[float, str]] = []
    if baseline is not None and series.mic:
        top = min(series.high, baseline + series.mic)
        bottom = max(series.low, baseline - series.mic)
        band = (y_for(series, top), y_for(series, bottom))
    if baseline and series.percent:
        step = abs(baseline) * series.percent / 100
        better = 1 if series.higher_is_better else -1
        for side, value in (
            ("better", baseline + better * step),
            ("worse", baseline - better * step),
        ):
            if series.low <= value <= series.high:
                lines.append((y_for(series, value), side))
    return Layout(
        points=placed,
        marks=[(x_for(m.day, first, last), m) for m in marks],
        y_ticks=[(y_for(series, t), t) for t in ticks(series.low, series.high)],
        baseline_y=None if baseline is None else y_for(series, baseline),
        band=band,
        percent_lines=lines,
        first_day=first,
        last_day=last,
    )


def describe(series: Series) -> str:
    """The chart in one or two sentences, for the SVG's <desc> (screen readers, PDFs)."""
    scores = series.every_score
    if not scores:
        return f"No {series.title} scores yet."
    first, last = scores[0], scores[-1]
    direction = "Higher is better." if series.higher_is_better else "Lower is better."
    text = (
        f"{len(scores)} {series.title} scores from {series.show(first.score)} on "
        f"{first.day:%Y-%m-%d} to {series.show(last.score)} on {last.day:%Y-%m-%d}. "
        f"{direction}"
    )
    if series.period_days:
        text += (
            f" Drawn as {len(series.points)} points, each the median of the scores in a "
            f"{period_words(series.period_days)}; the table gives every score."
        )
    thresholds = []
    if series.mic:
        thresholds.append(f"{series.mic:g} points")
    if series.percent and first.score:
        thresholds.append(f"{series.percent:g}% of the baseline")
    if thresholds:
        text += f" A meaningful change is at least {' or '.join(thresholds)}."
    if series.marks:
        changes = ", ".join(f"{m.day:%Y-%m-%d}" for m in series.marks)
        text += f" The plan changed on {changes}."
    return text


def svg(series: Series) -> str:
    """The chart as a standalone <svg> element."""
    geo = layout(series)
    key = escape(series.key)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="progress-chart" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" role="img" '
        f'aria-labelledby="chart-{key}-title chart-{key}-desc" data-instrument="{key}" '
        f'data-low="{series.low:g}" data-high="{series.high:g}" '
        f'data-direction="{"higher_is_better" if series.higher_is_better else "higher_is_worse"}">',
        f'<title id="chart-{key}-title">{escape(series.title)} over time</title>',
        f'<desc id="chart-{key}-desc">{escape(describe(series))}</desc>',
        f'<rect class="chart-frame" x="{LEFT}" y="{TOP}" width="{PLOT_WIDTH}" '
        f'height="{PLOT_HEIGHT}" fill="#ffffff" stroke="#c9ced6"/>',
    ]
    if geo.band is not None:
        top, bottom = geo.band
        out.append(
            f'<rect class="chart-band" x="{LEFT}" y="{top}" width="{PLOT_WIDTH}" '
            f'height="{round(bottom - top, 2)}" fill="#e8edf3" data-mic="{series.mic:g}">'
            f"<title>Within {series.mic:g} points of the baseline: no meaningful change by "
            f"points</title></rect>"
        )
    for y, score in geo.y_ticks:
        out.append(
            f'<line class="chart-grid" x1="{LEFT}" x2="{LEFT + PLOT_WIDTH}" y1="{y}" y2="{y}" '
            f'stroke="#eef0f3"/>'
            f'<text class="chart-tick" x="{LEFT - 6}" y="{y + 4}" text-anchor="end" '
            f'font-size="11" fill="#4a5160">{score:g}</text>'
        )
    for y, side in geo.percent_lines:
        out.append(
            f'<line class="chart-percent chart-percent-{side}" x1="{LEFT}" '
            f'x2="{LEFT + PLOT_WIDTH}" y1="{y}" y2="{y}" stroke="#6b7380" '
            f'stroke-dasharray="6 4" data-side="{side}"/>'
            f'<text class="chart-label" x="{LEFT + PLOT_WIDTH - 4}" y="{y - 4}" '
            f'text-anchor="end" font-size="10" fill="#4a5160">{series.percent:g}% {side}</text>'
        )
    if geo.baseline_y is not None:
        y = geo.baseline_y
        out.append(
            f'<line class="chart-baseline" x1="{LEFT}" x2="{LEFT + PLOT_WIDTH}" y1="{y}" '
            f'y2="{y}" stroke="#1f2733" stroke-width="1.5" '
            f'data-score="{series.show(series.baseline)}"/>'
            # Clear of the first point, which sits on the baseline at the left edge.
            f'<text class="chart-label" x="{LEFT + 12}" y="{y - 6}" font-size="10" '
            f'fill="#1f2733">baseline {series.show(series.baseline)}</text>'
        )
    for x, mark in geo.marks:
        out.append(
            f'<line class="chart-plan-change" x1="{x}" x2="{x}" y1="{TOP}" '
            f'y2="{TOP + PLOT_HEIGHT}" stroke="#8a5a00" stroke-dasharray="2 3" '
            f'data-date="{mark.day:%Y-%m-%d}"><title>{escape(mark.label)} '
            f"({mark.day:%Y-%m-%d})</title></line>"
            f'<text class="chart-label chart-plan-label" x="{x + 3}" y="{TOP + 10}" '
            f'font-size="10" fill="#8a5a00">{escape(mark.label)}</text>'
        )
    if len(geo.points) > 1:
        coords = " ".join(f"{x},{y}" for x, y, _ in geo.points)
        out.append(
            f'<polyline class="chart-line" points="{coords}" fill="none" stroke="#1c5d99" '
            f'stroke-width="2"/>'
        )
    for x, y, point in geo.points:
        score = series.show(point.score)
        said = f"{score} on {point.day:%Y-%m-%d}"
        if point.count > 1:
            said = (
                f"median {score} of {point.count} scores from {point.day:%Y-%m-%d} to "
                f"{point.until:%Y-%m-%d}"
            )
        out.append(
            f'<circle class="chart-point" cx="{x}" cy="{y}" r="4" fill="#1c5d99" '
            f'stroke="#ffffff" stroke-width="1.5" data-score="{score}" '
            f'data-date="{point.day:%Y-%m-%d}"><title>{said}</title>'
            f"</circle>"
        )
    bottom = TOP + PLOT_HEIGHT
    if geo.first_day is not None:
        out.append(
            f'<text class="chart-tick" x="{LEFT}" y="{bottom + 16}" font-size="11" '
            f'fill="#4a5160">{geo.first_day:%Y-%m-%d}</text>'
        )
        if geo.last_day != geo.first_day:
            out.append(
                f'<text class="chart-tick" x="{LEFT + PLOT_WIDTH}" y="{bottom + 16}" '
                f'text-anchor="end" font-size="11" fill="#4a5160">{geo.last_day:%Y-%m-%d}</text>'
            )
    better = "Higher is better ↑" if series.higher_is_better else "Lower is better ↓"
    out.append(
        f'<text class="chart-label chart-direction" x="{LEFT}" y="{TOP - 10}" font-size="11" '
        f'fill="#1f2733">{escape(series.title)} ({series.low:g}–{series.high:g}). '
        f"{better}</text>"
    )
    out.append("</svg>")
    return "".join(out)


def table_rows(series: Series) -> list[dict[str, Any]]:
    """The chart's numbers for the table beside it: date, score, change from baseline."""
    rows = []
    baseline = series.baseline
    for index, point in enumerate(series.every_score):
        row = {
            "day": point.day,
            "score": series.show(point.score),
            "change": "",
            "percent": "",
            "is_baseline": index == 0,
        }
        if index and baseline is not None:
            delta = point.score - baseline
            row["change"] = f"{'+' if delta > 0 else ''}{series.show(delta)}"
            if baseline:
                percent = round_for_display(delta / abs(baseline) * 100, 0)
                row["percent"] = f"{'+' if percent > 0 else ''}{percent:g}%"
        rows.append(row)
    return rows


def series_for(course: Any, marks: Sequence[Mark] = ()) -> list[Series]:
    """The series to chart for one instrument's course (progress.Course): its total, or each
    subscale where there is no total. Ratings of change (PGIC, GROC) and screening tools
    (STarT Back) are not charted: a line through them means nothing."""
    spec = course.instrument
    if spec.change_measure != "score":
        return []
    higher_is_better = spec.direction.value == "higher_is_better"
    if spec.has_total:
        parts = [(course.key, course.title, spec.range, None)]
    else:
        parts = [
            (f"{course.key}-{s.id}", f"{course.title} {s.name}", s.range, s.id)
            for s in spec.subscales
        ]
    found = []
    for key, title, (low, high), subscale in parts:
        points = []
        for response in course.responses:
            value = response.score if subscale is None else response.subscores.get(subscale)
            if value is not None:
                points.append(Point(_day(response.taken_at), value))
        if points:
            found.append(
                Series(
                    key=key,
                    title=title,
                    low=low,
                    high=high,
                    higher_is_better=higher_is_better,
                    points=points,
                    decimals=spec.display_decimals,
                    mic=_mic(spec, subscale, points[0].score),
                    marks=tuple(marks),
                )
            )
    return found


def _mic(spec: Any, subscale: str | None, baseline: float) -> float | None:
    """The instrument's own threshold in points, as the change reading uses it, so the band
    matches the status (a percent MIC such as FIQR's 14% is that share of the baseline)."""
    own = change_rule(spec, subscale).mic
    if own is None:
        return None
    if own.kind == "percent":
        return abs(baseline) * own.value / 100 if baseline else None
    return own.value


def _day(moment: datetime | date) -> date:
    if isinstance(moment, datetime):
        return timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()
    return moment


# --- Outcome charts: step curves and bars (the outcomes page draws these) ---------------------
# A narrower canvas with larger type than the progress chart, so the labels stay legible when a
# phone scales the picture to 350 px.

FIGURE_WIDTH = 480
FIGURE_FONT = 15
DASHES = ("", "7 4", "2 3", "10 3 2 3", "4 4")  # one per line: colour is never the only signal
COLOURS = ("#1c5d99", "#8a3b12", "#2f6b2f", "#5b3a8a", "#4a5160")


@dataclass(frozen=True)
class StepLine:
    """One curve of a step chart: (x, y, lower, upper) with y a share from 0 to 1; the band
    (lower–upper) is drawn when the chart has a single line."""

    label: str
    points: Sequence[tuple[float, float, float | None, float | None]]


@dataclass(frozen=True)
class StepChart:
    key: str
    title: str
    x_label: str  # "Sessions"
    y_label: str  # "Improved"
    lines: Sequence[StepLine]
    description: str  # the chart in words, for the <desc>
    reference: float | None = 0.5  # a dashed guide at this share, e.g. "half"
    legend: bool = False  # name the lines below the plot (always, with more than one)


def step_svg(chart: StepChart) -> str:
    """A rising or falling step curve (Kaplan–Meier style) as a standalone <svg>."""
    named = chart.legend or len(chart.lines) > 1
    legend = 18 * len(chart.lines) if named else 0
    width, height = FIGURE_WIDTH, 300 + legend
    left, right, top, bottom = 52, 20, 34, 52 + legend
    plot_w, plot_h = width - left - right, height - top - bottom
    x_max = max([p[0] for line in chart.lines for p in line.points] + [1])
    x_ticks = [t for t in ticks(0, x_max, most=6) if float(t).is_integer() or x_max < 4]

    def x_at(value: float) -> float:
        return round(left + plot_w * value / x_max, 2)

    def y_at(share: float) -> float:
        return round(top + plot_h * (1 - min(max(share, 0.0), 1.0)), 2)

    key = escape(chart.key)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="outcome-chart step-chart" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-labelledby="chart-{key}-title chart-{key}-desc" data-chart="{key}">',
        f'<title id="chart-{key}-title">{escape(chart.title)}</title>',
        f'<desc id="chart-{key}-desc">{escape(chart.description)}</desc>',
        f'<rect class="chart-frame" x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" '
        f'fill="#ffffff" stroke="#c9ced6"/>',
    ]
    for share in (0, 0.25, 0.5, 0.75, 1):
        y = y_at(share)
        out.append(
            f'<line class="chart-grid" x1="{left}" x2="{left + plot_w}" y1="{y}" y2="{y}" '
            f'stroke="#eef0f3"/><text class="chart-tick" x="{left - 6}" y="{y + 4}" '
            f'text-anchor="end" font-size="{FIGURE_FONT - 1}" fill="#4a5160">'
            f"{round(share * 100)}%</text>"
        )
    for tick in x_ticks:
        x = x_at(tick)
        out.append(
            f'<text class="chart-tick" x="{x}" y="{top + plot_h + 17}" text-anchor="middle" '
            f'font-size="{FIGURE_FONT - 1}" fill="#4a5160">{tick:g}</text>'
        )
    if chart.reference is not None:
        y = y_at(chart.reference)
        out.append(
            f'<line class="chart-reference" x1="{left}" x2="{left + plot_w}" y1="{y}" '
            f'y2="{y}" stroke="#6b7380" stroke-dasharray="6 4" '
            f'data-share="{chart.reference:g}"/>'
        )
    single = len(chart.lines) == 1
    for index, line in enumerate(chart.lines):
        colour, dash = COLOURS[index % len(COLOURS)], DASHES[index % len(DASHES)]
        if single and line.points:
            band = _step_band(line.points, x_at, y_at)
            if band:
                out.append(
                    f'<polygon class="chart-ci" points="{band}" fill="{colour}" '
                    f'fill-opacity="0.15" stroke="none"/>'
                )
        path = _step_path(line.points, x_at, y_at)
        if path:
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            out.append(
                f'<path class="chart-step" d="{path}" fill="none" stroke="{colour}" '
                f'stroke-width="2.5"{dash_attr} data-label="{escape(line.label)}">'
                f"<title>{escape(line.label)}</title></path>"
            )
    if named:
        for index, line in enumerate(chart.lines):
            colour, dash = COLOURS[index % len(COLOURS)], DASHES[index % len(DASHES)]
            y = top + plot_h + 56 + 18 * index
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            out.append(
                f'<line x1="{left}" x2="{left + 28}" y1="{y - 4}" y2="{y - 4}" '
                f'stroke="{colour}" stroke-width="2.5"{dash_attr}/>'
                f'<text class="chart-label" x="{left + 34}" y="{y}" '
                f'font-size="{FIGURE_FONT - 1}" fill="#1f2733">{escape(line.label)}</text>'
            )
    out.append(
        f'<text class="chart-label" x="{left}" y="{top - 12}" font-size="{FIGURE_FONT}" '
        f'fill="#1f2733">{escape(chart.y_label)}</text>'
        f'<text class="chart-label" x="{left + plot_w}" y="{top + plot_h + 34}" '
        f'text-anchor="end" font-size="{FIGURE_FONT}" fill="#1f2733">'
        f"{escape(chart.x_label)} →</text>"
    )
    out.append("</svg>")
    return "".join(out)


def _step_path(points, x_at, y_at) -> str:
    if not points:
        return ""
    x, y = points[0][0], points[0][1]
    parts = [f"M{x_at(x)},{y_at(y)}"]
    for nx, ny, _, _ in points[1:]:
        parts.append(f"H{x_at(nx)}V{y_at(ny)}")
    return "".join(parts)


def _step_band(points, x_at, y_at) -> str:
    """The stepped region between the lower and upper values, as polygon points."""
    usable = [p for p in points if p[2] is not None and p[3] is not None]
    if len(usable) < 2:
        return ""
    upper, lower = [], []
    for index, (x, _, low, high) in enumerate(usable):
        nx = usable[index + 1][0] if index + 1 < len(usable) else x
        upper += [(x_at(x), y_at(high)), (x_at(nx), y_at(high))]
        lower += [(x_at(x), y_at(low)), (x_at(nx), y_at(low))]
    return " ".join(f"{x},{y}" for x, y in upper + lower[::-1])


@dataclass(frozen=True)
class Bar:
    """One bar; value None draws no bar and prints `text` (e.g. "too few to show")."""

    label: str
    value: float | None
    text: str  # printed beside the bar: the figure and its n
    lower: float | None = None  # an interval drawn as a whisker
    upper: float | None = None


@dataclass(frozen=True)
class BarChart:
    key: str
    title: str
    bars: Sequence[Bar]
    high: float  # the axis runs from `low` to `high`
    description: str
    low: float = 0
    unit: str = ""  # appended to tick labels: "%"
    scale: float = 1  # tick label = value × scale (shares drawn 0–1, labelled 0–100%)


def bars_svg(chart: BarChart) -> str:
    """Horizontal bars, each with its label above it, its figure beside it and an optional
    interval whisker, as a standalone <svg>."""
    width, row, left, right, top = FIGURE_WIDTH, 46, 10, 10, 10
    plot_w = width - left - right
    height = top + row * len(chart.bars) + 30
    span = (chart.high - chart.low) or 1

    def x_at(value: float) -> float:
        clipped = min(max(value, chart.low), chart.high)
        return round(left + plot_w * (clipped - chart.low) / span, 2)

    key = escape(chart.key)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="outcome-chart bar-chart" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-labelledby="chart-{key}-title chart-{key}-desc" data-chart="{key}">',
        f'<title id="chart-{key}-title">{escape(chart.title)}</title>',
        f'<desc id="chart-{key}-desc">{escape(chart.description)}</desc>',
    ]
    zero = x_at(0) if chart.low < 0 < chart.high else x_at(chart.low)
    for index, bar in enumerate(chart.bars):
        y = top + row * index
        out.append(
            f'<text class="chart-label" x="{left}" y="{y + 14}" font-size="{FIGURE_FONT}" '
            f'fill="#1f2733">{escape(bar.label)}</text>'
            f'<text class="chart-value" x="{width - right}" y="{y + 14}" text-anchor="end" '
            f'font-size="{FIGURE_FONT}" fill="#1f2733">{escape(bar.text)}</text>'
        )
        if bar.value is None:
            continue
        end = x_at(bar.value)
        x, w = min(zero, end), abs(end - zero)
        out.append(
            f'<rect class="chart-bar" x="{x}" y="{y + 21}" width="{round(w, 2)}" height="14" '
            f'fill="{COLOURS[0]}" data-value="{bar.value:g}"><title>{escape(bar.label)}: '
            f"{escape(bar.text)}</title></rect>"
        )
        if bar.lower is not None and bar.upper is not None:
            lo, hi, mid = x_at(bar.lower), x_at(bar.upper), y + 28
            out.append(
                f'<path class="chart-whisker" d="M{lo},{mid}H{hi}M{lo},{mid - 6}V{mid + 6}'
                f'M{hi},{mid - 6}V{mid + 6}" stroke="#1f2733" stroke-width="1.5" fill="none" '
                f'data-lower="{bar.lower:g}" data-upper="{bar.upper:g}"/>'
            )
    axis_y = top + row * len(chart.bars)
    out.append(
        f'<line class="chart-axis" x1="{left}" x2="{left + plot_w}" y1="{axis_y}" '
        f'y2="{axis_y}" stroke="#c9ced6"/>'
    )
    for tick in ticks(chart.low, chart.high, most=4):
        x = x_at(tick)
        anchor = "start" if x <= left + 1 else "end" if x >= left + plot_w - 1 else "middle"
        out.append(
            f'<text class="chart-tick" x="{x}" y="{axis_y + 18}" text-anchor="{anchor}" '
            f'font-size="{FIGURE_FONT - 1}" fill="#4a5160">'
            f"{round(tick * chart.scale, 6):g}{escape(chart.unit)}</text>"
        )
    if chart.low < 0 < chart.high:
        out.append(
            f'<line class="chart-zero" x1="{zero}" x2="{zero}" y1="{top}" y2="{axis_y}" '
            f'stroke="#1f2733"/>'
        )
    out.append("</svg>")
    return "".join(out)
