"""The outcomes report: every figure of the outcomes page, aggregated in SQL over the course
summary and estimated by `stats`. Each figure carries its n and its table; a figure about fewer
courses than the clinic's smallest group says "too few to show" instead of its numbers."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.utils.safestring import SafeString, mark_safe

from kneadwell.analytics import stats
from kneadwell.analytics.models import (
    Course,
    CourseAdverse,
    CourseMeasure,
    CourseStatus,
    OutcomeSettings,
    course_status,
)
from kneadwell.clients.access import clients_for
from kneadwell.knowledge.instruments.registry import get_instrument
from kneadwell.knowledge.loader import load_knowledge
from kneadwell.measures import graphs

TOO_FEW = "too few to show"
BLANK = ""  # the other cells of a row that is too few to show
ENDED = [CourseStatus.COMPLETED, CourseStatus.DROPPED_OUT]
PRIMARY = ""  # the measure filter's value for "each course's primary measure"


@dataclass(frozen=True)
class Filters:
    start: date
    end: date
    condition: str = ""  # "" for every condition
    therapist: int | None = None  # a therapist's user id (owners only)
    measure: str = PRIMARY  # an instrument id, or each course's primary measure

    def describe(self) -> str:
        """The filters in words, for the access log and CSV headers (no client data)."""
        parts = [f"{self.start:%Y-%m-%d} to {self.end:%Y-%m-%d}"]
        if self.condition:
            parts.append(f"condition {self.condition}")
        if self.therapist:
            parts.append(f"therapist #{self.therapist}")
        parts.append(f"measure {self.measure or 'primary'}")
        return ", ".join(parts)


# --- Tables: one definition serves the page, its screen readers and the CSV export ---------


@dataclass(frozen=True)
class Column:
    label: str  # with its unit: "Improved (%)"
    kind: str = "text"  # text | count | percent | number


@dataclass
class Table:
    key: str  # the CSV's name
    caption: str
    columns: Sequence[Column]
    rows: list[list[Any]] = field(default_factory=list)  # raw values; TOO_FEW where suppressed

    def display_rows(self) -> list[list[tuple[Any, Column]]]:
        """Each row's cells paired with their column, for the template."""
        return [list(zip(row, self.columns, strict=True)) for row in self.rows]


@dataclass
class Figure:
    """One picture with the table beside it (the SVG is None when there is nothing to draw)."""

    key: str
    title: str
    n: int
    shown: bool
    table: Table
    svg: str | None = None
    note: str = ""
    quantiles: Sequence[stats.Quantile] = ()  # the sessions curve's quartiles, when shown
    unit: str = "courses"  # what n counts


@dataclass
class Report:
    filters: Filters
    settings: OutcomeSettings
    today: date
    started: int
    figures: list[Figure]
    summary: dict[str, Any]  # headline numbers for the top of the page

    def figure(self, key: str) -> Figure:
        return next(f for f in self.figures if f.key == key)

    def table(self, key: str) -> Table | None:
        return next((f.table for f in self.figures if f.table.key == key), None)


# --- Which courses -------------------------------------------------------------------------------


def scope(membership, filters: Filters, prefix: str = "") -> Q:
    """The courses this person may count: the clinic's for an owner, their own clients' for a
    therapist (front desk never gets here), started within the dates, narrowed by the filters.
    `prefix` reaches the course from a row that points to it (`"course__"`), so each figure
    is one joined scan rather than a scan of the courses and another of what they hold."""
    found = Q(
        **{
            f"{prefix}clinic_id": membership.clinic_id,
            f"{prefix}started_on__gte": filters.start,
            f"{prefix}started_on__lte": filters.end,
        }
    )
    if membership.is_therapist:
        # clients_for's rule (a therapist sees their own clients) as a join on the course's
        # client: an IN over a subquery of clients let PostgreSQL, with a fresh summary not
        # yet analysed, compare every course with every client of the therapist.
        found &= Q(**{f"{prefix}client__therapists": membership.user_id})
    elif not membership.is_owner:
        found &= Q(**{f"{prefix}client_id__in": Subquery(clients_for(membership).values("pk"))})
    elif filters.therapist:
        found &= Q(**{f"{prefix}client__therapists": filters.therapist})
    if filters.condition:
        found &= Q(**{f"{prefix}condition": filters.condition})
    return found


def courses_for(membership, filters: Filters, today: date, settings: OutcomeSettings) -> QuerySet:
    """The courses in scope, each with its status today."""
    return Course.objects.filter(scope(membership, filters)).with_status(
        today, settings.dropout_weeks
    )


# --- The report ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeasureGroup:
    """Course measures alike in everything a figure looks at, and how many there are: what
    one grouped scan of the summary returns (a few thousand rows at most, however many
    courses), so every figure is a sum over these in Python."""

    instrument: str
    scale: str
    band_order: int
    band: str
    time: int
    event: bool
    final_status: str
    status: str
    has_baseline: bool
    has_followup: bool
    n: int
    improved_n: int  # rows with an improvement (a reading at the last follow-up)
    total: float  # their sum of improvements
    squares: float  # and of squared improvements

    @property
    def readable(self) -> bool:
        return self.scale == "" and self.has_baseline and self.has_followup

    @property
    def ended(self) -> bool:
        return self.status in ENDED


def measure_groups(membership, filters: Filters, today: date, settings) -> list[MeasureGroup]:
    """One scan of the course measures in scope (the chosen measure, or each course's
    primary one), grouped by everything the figures need."""
    rows = CourseMeasure.objects.filter(scope(membership, filters, "course__"))
    rows = (
        rows.filter(instrument=filters.measure) if filters.measure else rows.filter(is_primary=True)
    )
    grouped = (
        rows.annotate(
            status=course_status(today, settings.dropout_weeks, "course__"),
            has_baseline=ExpressionWrapper(Q(baseline__isnull=False), BooleanField()),
            has_followup=ExpressionWrapper(Q(followups__gt=0), BooleanField()),
        )
        .order_by()
        .values_list(*GROUPED)
        .annotate(
            n=Count("pk"),
            improved_n=Count("improvement"),
            total=Sum("improvement"),
            squares=Sum(F("improvement") * F("improvement")),
        )
    )
    return [
        MeasureGroup(*row[: len(GROUPED)], *(v or 0 for v in row[len(GROUPED) :]))
        for row in grouped
    ]


GROUPED = (
    "instrument",
    "scale",
    "band_order",
    "band",
    "time",
    "event",
    "final_status",
    "status",
    "has_baseline",
    "has_followup",
)


def _summed(groups, keys, **sums) -> list[tuple]:
    """Sum `sums` (name → function of a group) over groups with the same `keys`; one tuple
    per key, keys first, in the order first seen."""
    found: dict[tuple, list] = {}
    for group in groups:
        key = tuple(getattr(group, k) for k in keys)
        totals = found.setdefault(key, [0] * len(sums))
        for index, value in enumerate(sums.values()):
            totals[index] += value(group)
    return [key + tuple(totals) for key, totals in found.items()]


def build(membership, filters: Filters, settings: OutcomeSettings, today: date) -> Report:
    """Every figure from three grouped scans of the summary (courses, course measures,
    adverse effects): the cost follows the courses in scope, never the visits or scores."""
    minimum = settings.min_group
    statuses, visits = {}, 0
    for status, n, sessions in (
        courses_for(membership, filters, today, settings)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"), sessions=Sum("sessions"))
    ):
        statuses[status] = n
        visits += sessions or 0
    started = sum(statuses.values())
    groups = measure_groups(membership, filters, today, settings)
    readable = [g for g in groups if g.readable]
    curve_counts = _summed(readable, ("time", "event"), n=lambda g: g.n)
    band_counts = _summed(
        readable, ("instrument", "band_order", "band", "time", "event"), n=lambda g: g.n
    )
    shares = _summed(
        [g for g in readable if g.ended],
        ("instrument",),
        n=lambda g: g.n,
        improved=lambda g: g.n if g.final_status == "improved" else 0,
        worse=lambda g: g.n if g.final_status == "worse" else 0,
    )
    means = _summed(
        [g for g in groups if g.ended and g.improved_n],
        ("instrument", "scale"),
        n=lambda g: g.improved_n,
        total=lambda g: g.total,
        squares=lambda g: g.squares,
    )
    ended_course_level = [g for g in groups if g.ended and g.scale == ""]
    complete = {
        "with_baseline": sum(g.n for g in ended_course_level if g.has_baseline),
        "with_both": sum(g.n for g in ended_course_level if g.has_baseline and g.has_followup),
    }
    adverse = list(
        CourseAdverse.objects.filter(scope(membership, filters, "course__"))
        .order_by()
        .values_list("kind", "severity")
        .annotate(n=Sum("count"))
    )
    n_ended = statuses.get(CourseStatus.COMPLETED, 0) + statuses.get(CourseStatus.DROPPED_OUT, 0)

    curve_figure, curve_summary = sessions_figure(curve_counts, minimum, filters)
    figures = [
        courses_figure(statuses, started, minimum),
        completeness_figure(n_ended, complete, minimum, filters),
        improvement_figure(shares, minimum, filters),
        mean_change_figure(means, minimum),
        curve_figure,
        bands_figure(band_counts, minimum),
        adverse_figure(adverse, visits, started, minimum),
    ]
    return Report(
        filters=filters,
        settings=settings,
        today=today,
        started=started,
        figures=figures,
        summary={"started": started, "ended": n_ended, "visits": visits, **curve_summary},
    )


def measure_name(instrument_id: str, scale: str = "") -> str:
    spec = get_instrument(instrument_id)
    if scale:
        sub = spec.subscale(scale)
        return f"{spec.short_name} {sub.name.lower() if sub else scale}"
    return spec.short_name


def condition_name(condition_id: str) -> str:
    found = load_knowledge().conditions.get(condition_id)
    return found.name if found else condition_id


def _measure_words(filters: Filters) -> str:
    return measure_name(filters.measure) if filters.measure else "each course's primary measure"


# --- Figures -------------------------------------------------------------------------------------


def courses_figure(statuses: dict, started: int, minimum: int) -> Figure:
    shown = started >= minimum
    table = Table(
        "courses",
        "Courses started in the period, by where they stand today",
        [Column("Courses"), Column("Number", "count"), Column("Share (%)", "percent")],
    )
    bars = []
    for status, label in [
        (CourseStatus.COMPLETED, "Completed (discharged)"),
        (CourseStatus.DROPPED_OUT, "Dropped out"),
        (CourseStatus.ONGOING, "Ongoing"),
    ]:
        count = statuses.get(status, 0)
        share = count / started if started else None
        if shown:
            table.rows.append([label, count, share])
            bars.append(graphs.Bar(label, share, f"{count} ({_percent(share)})"))
        else:
            table.rows.append([label, TOO_FEW, BLANK])
    table.rows.append(["All courses started", started, 1.0 if started else None])
    svg = None
    if shown:
        svg = _safe(
            graphs.bars_svg(
                graphs.BarChart(
                    "courses",
                    "Courses by where they stand",
                    bars,
                    high=1,
                    unit="%",
                    scale=100,
                    description=_bars_words(bars, f"of {started} courses started"),
                )
            )
        )
    return Figure("courses", "Courses started and where they stand", started, shown, table, svg)


def completeness_figure(n_ended: int, complete: dict, minimum: int, filters: Filters) -> Figure:
    shown = n_ended >= minimum
    table = Table(
        "completeness",
        f"Ended courses with a baseline and a follow-up on {_measure_words(filters)}",
        [
            Column("Measured"),
            Column("Courses", "count"),
            Column("Share (%)", "percent"),
            Column("95% CI low (%)", "percent"),
            Column("95% CI high (%)", "percent"),
        ],
    )
    bars = []
    for label, count in [
        ("Baseline recorded", complete["with_baseline"] or 0),
        ("Baseline and a follow-up", complete["with_both"] or 0),
    ]:
        share = stats.wilson(count, n_ended)
        if shown:
            table.rows.append([label, count, share.share, share.lower, share.upper])
            bars.append(
                graphs.Bar(
                    label,
                    share.share,
                    f"{count} of {n_ended} ({_percent(share.share)})",
                    share.lower,
                    share.upper,
                )
            )
        else:
            table.rows.append([label, TOO_FEW, BLANK, BLANK, BLANK])
    svg = None
    if shown:
        svg = _safe(
            graphs.bars_svg(
                graphs.BarChart(
                    "completeness",
                    "Measure completeness",
                    bars,
                    high=1,
                    unit="%",
                    scale=100,
                    description=_bars_words(bars, f"of {n_ended} ended courses"),
                )
            )
        )
    note = (
        "Outcomes below count only courses with both; when many lack a follow-up, the figures "
        "may not describe the clinic's courses as a whole."
    )
    return Figure("completeness", "Measure completeness", n_ended, shown, table, svg, note)


def improvement_figure(shares: list, minimum: int, filters: Filters) -> Figure:
    table = Table(
        "improvement",
        "Ended courses whose last score showed a meaningful improvement from baseline",
        [
            Column("Measure"),
            Column("Courses (n)", "count"),
            Column("Improved", "count"),
            Column("Improved (%)", "percent"),
            Column("95% CI low (%)", "percent"),
            Column("95% CI high (%)", "percent"),
            Column("Worse", "count"),
        ],
    )
    rows = [(measure_name(i), n, up, down) for i, n, up, down in shares]
    rows.sort(key=lambda r: -r[1])
    if len(rows) > 1:
        rows.append(
            (
                "All measures",
                sum(r[1] for r in rows),
                sum(r[2] for r in rows),
                sum(r[3] for r in rows),
            )
        )
    bars = []
    for label, n, up, down in rows:
        share = stats.wilson(up, n)
        if n >= minimum:
            table.rows.append([label, n, up, share.share, share.lower, share.upper, down])
            bars.append(
                graphs.Bar(
                    label,
                    share.share,
                    f"{_percent(share.share)} of {n}",
                    share.lower,
                    share.upper,
                )
            )
        else:
            table.rows.append([label, n, TOO_FEW, BLANK, BLANK, BLANK, BLANK])
    total = rows[-1][1] if rows else 0
    svg = None
    if bars:
        svg = _safe(
            graphs.bars_svg(
                graphs.BarChart(
                    "improvement",
                    "Share of ended courses with a meaningful improvement",
                    bars,
                    high=1,
                    unit="%",
                    scale=100,
                    description=_bars_words(bars, "improved, with 95% confidence intervals"),
                )
            )
        )
    note = (
        "Meaningful: at least the instrument's minimal important change (in points or as a "
        "share of the baseline), read as on each client's progress page."
    )
    return Figure(
        "improvement", "Reaching a meaningful improvement", total, bool(bars), table, svg, note
    )


def mean_change_figure(means: list, minimum: int) -> Figure:
    table = Table(
        "mean_change",
        "Mean improvement from baseline to the last score of ended courses "
        "(points; positive is better, whichever way the scale runs)",
        [
            Column("Measure"),
            Column("Courses (n)", "count"),
            Column("Mean improvement (points)", "number"),
            Column("95% CI low", "number"),
            Column("95% CI high", "number"),
            Column("SD", "number"),
        ],
    )
    total = 0
    shown = False
    for instrument, scale, n, sum_, squares in sorted(means, key=lambda r: (-r[2], r[0], r[1])):
        total += n if not scale else 0
        label = measure_name(instrument, scale)
        if n >= minimum:
            mean = stats.mean_interval(n, sum_ or 0.0, squares or 0.0)
            table.rows.append([label, n, mean.mean, mean.lower, mean.upper, mean.sd])
            shown = True
        else:
            table.rows.append([label, n, TOO_FEW, BLANK, BLANK, BLANK])
    note = (
        "Points are not comparable between instruments, so each has its own row; the interval "
        "is the t-based 95% confidence interval of the mean."
    )
    return Figure("mean_change", "Mean change", total, shown, table, None, note)


def curve_of(counts: Sequence[tuple[int, bool, int]]) -> stats.Curve:
    times, events, weights = zip(*counts, strict=True) if counts else ((), (), ())
    return stats.kaplan_meier(times, [bool(e) for e in events], weights)


def sessions_figure(counts: list, minimum: int, filters: Filters) -> tuple[Figure, dict]:
    curve = curve_of(counts)
    n = int(curve.n)
    shown = n >= minimum
    table = Table(
        "sessions_to_improvement",
        "Sessions to a meaningful improvement (Kaplan–Meier; courses that ended or are "
        "still going without one are counted up to their last score)",
        [
            Column("Session", "count"),
            Column("Still counted", "count"),
            Column("Improved at this session", "count"),
            Column("Last scored here, no improvement", "count"),
            Column("Improved by now (%)", "percent"),
            Column("95% CI low (%)", "percent"),
            Column("95% CI high (%)", "percent"),
        ],
    )
    quantiles = [stats.quantile(curve, share) for share in (0.25, 0.5, 0.75)]
    summary = {"curve_n": n, "median": quantiles[1] if shown else None, "curve_shown": shown}
    if not shown:
        table.rows.append([TOO_FEW] + [BLANK] * 6)
        figure = Figure("sessions", "Sessions to meaningful improvement", n, False, table)
        return figure, summary
    for step in curve.steps:
        if step.time == 0 and not step.events:
            continue
        table.rows.append(
            [
                int(step.time),
                int(step.at_risk),
                int(step.events),
                int(step.censored),
                step.reached,
                1 - step.upper,
                1 - step.lower,
            ]
        )
    line = graphs.StepLine(
        "All courses",
        [(s.time, s.reached, 1 - s.upper, 1 - s.lower) for s in curve.steps],
    )
    words = _quantile_words(quantiles, n)
    svg = _safe(
        graphs.step_svg(
            graphs.StepChart(
                "sessions",
                "Share of courses with a meaningful improvement, by session",
                "Sessions",
                "Improved (%)",
                [line],
                description=words,
            )
        )
    )
    figure = Figure(
        "sessions", "Sessions to meaningful improvement", n, True, table, svg, words, quantiles
    )
    return figure, summary


def bands_figure(counts: list, minimum: int) -> Figure:
    groups: dict[tuple, list] = defaultdict(list)
    for instrument, order, band, time, event, n in counts:
        groups[(instrument, order, band)].append((time, event, n))
    table = Table(
        "sessions_by_baseline",
        "Sessions to a meaningful improvement by baseline severity band",
        [
            Column("Measure"),
            Column("Baseline band"),
            Column("Courses (n)", "count"),
            Column("Improved", "count"),
            Column("Median (sessions)", "sessions"),
            Column("Median 95% CI low", "sessions"),
            Column("Median 95% CI high", "sessions"),
            Column("A quarter by session", "sessions"),
            Column("Three quarters by session", "sessions"),
        ],
    )
    lines: dict[str, list[graphs.StepLine]] = defaultdict(list)  # one chart per measure
    total = 0
    for (instrument, _order, band), rows in sorted(groups.items(), key=lambda g: g[0][:2]):
        curve = curve_of(rows)
        n = int(curve.n)
        total += n
        label, band_label = measure_name(instrument), band or "not banded"
        if n < minimum:
            table.rows.append([label, band_label, n, TOO_FEW] + [BLANK] * 5)
            continue
        q1, median, q3 = (stats.quantile(curve, s) for s in (0.25, 0.5, 0.75))
        table.rows.append(
            [label, band_label, n, int(curve.events), median.estimate, median.lower]
            + [median.upper, q1.estimate, q3.estimate]
        )
        lines[instrument].append(
            graphs.StepLine(band_label, [(s.time, s.reached, None, None) for s in curve.steps])
        )
    svg = None
    if lines:
        svg = _safe(
            "".join(
                graphs.step_svg(
                    graphs.StepChart(
                        f"bands-{instrument}",
                        f"{measure_name(instrument)}: share improved by session, by baseline",
                        "Sessions",
                        f"{measure_name(instrument)}: improved (%)",
                        found,
                        legend=True,
                        description=f"{measure_name(instrument)}, one curve per baseline band: "
                        + "; ".join(line.label for line in found)
                        + ". The table gives each band's median and quartiles.",
                    )
                )
                for instrument, found in lines.items()
            )
        )
    note = (
        "Bands are the instrument's published (or conventional) severity bands; where it has "
        "none, the third of the scale the baseline fell in. Each measure has its own picture."
    )
    return Figure("bands", "By baseline severity", total, bool(lines), table, svg, note)


def adverse_figure(adverse: list, visits: int, started: int, minimum: int) -> Figure:
    knowledge = load_knowledge()
    names = {k: t.name for k, t in knowledge.adverse_effect_types.items()}
    shown = started >= minimum
    by_kind: dict[str, int] = defaultdict(int)
    for kind, _severity, n in adverse:
        by_kind[kind] += n
    table = Table(
        "adverse_effects",
        f"Adverse effects recorded per 100 signed visits ({visits} visits)",
        [
            Column("Type"),
            Column("Severity"),
            Column("Effects", "count"),
            Column("Per 100 visits", "number"),
            Column("95% CI low", "number"),
            Column("95% CI high", "number"),
        ],
    )
    bars = []
    kinds = sorted(by_kind, key=lambda k: -by_kind[k])
    if not shown:
        table.rows.append([TOO_FEW] + [BLANK] * 5)
    else:
        for kind in kinds:
            total = stats.rate(by_kind[kind], visits)
            table.rows.append(
                [names.get(kind, kind), "all", total.events, total.rate, total.lower, total.upper]
            )
            bars.append(
                graphs.Bar(
                    names.get(kind, kind),
                    total.rate,
                    f"{_number(total.rate)} per 100 ({total.events})",
                    total.lower,
                    total.upper,
                )
            )
            for k, severity, n in sorted(adverse, key=_severity_order):
                if k == kind:
                    part = stats.rate(n, visits)
                    table.rows.append(
                        [names.get(kind, kind), severity, n, part.rate, part.lower, part.upper]
                    )
        every = stats.rate(sum(by_kind.values()), visits)
        table.rows.append(["All types", "all", every.events, every.rate, every.lower, every.upper])
    svg = None
    if bars:
        high = max(b.upper or b.value or 0 for b in bars) or 1
        svg = _safe(
            graphs.bars_svg(
                graphs.BarChart(
                    "adverse",
                    "Adverse effects per 100 visits",
                    bars,
                    high=_round_up(high),
                    description=_bars_words(bars, "per 100 visits, with 95% confidence intervals"),
                )
            )
        )
    note = (
        "Severity is the 0–10 rating on the visit note, banded as the NPRS is (mild 1–3, "
        "moderate 4–6, severe 7–10: a convention). The interval is the exact Poisson one; "
        "effects cluster in some clients, so treat it as a guide."
    )
    return Figure("adverse", "Adverse effects", visits, shown, table, svg, note, unit="visits")


SEVERITY_ORDER = ["none", "mild", "moderate", "severe", "not rated"]


def _severity_order(row) -> tuple:
    severity = row[1]
    return (SEVERITY_ORDER.index(severity) if severity in SEVERITY_ORDER else 99, severity)


def _safe(svg: str) -> SafeString:
    return mark_safe(svg)  # noqa: S308 the chart module escapes every piece of text it writes


# --- Words -------------------------------------------------------------------------------------


def _percent(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.0f}%"


def _number(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def _round_up(value: float) -> float:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 500, 1000):
        if value <= step:
            return step
    return value


def _bars_words(bars: Sequence[graphs.Bar], what: str) -> str:
    return f"{'; '.join(f'{b.label}: {b.text}' for b in bars)} ({what})."


def session_words(value: float | None) -> str:
    return "not reached" if value is None else f"session {value:g}"


def _quantile_words(quantiles: Sequence[stats.Quantile], n: int) -> str:
    q1, median, q3 = quantiles
    if median.estimate is None:
        return (
            f"Of {n} courses, fewer than half had reached a meaningful improvement by their "
            "last score."
        )
    text = (
        f"Of {n} courses, half had a meaningful improvement by session {median.estimate:g} "
        f"(95% CI {_ci(median)})."
    )
    if q1.estimate is not None:
        text += f" A quarter had by session {q1.estimate:g}"
        text += (
            f" and three quarters by session {q3.estimate:g}."
            if q3.estimate is not None
            else "; three quarters was not reached."
        )
    return text


def _ci(q: stats.Quantile) -> str:
    low = "—" if q.lower is None else f"{q.lower:g}"
    high = "not reached" if q.upper is None else f"{q.upper:g}"
    return f"{low} to {high}"
