"""The progress chart's SVG, parsed back and compared with the data it was drawn from."""

import xml.etree.ElementTree as ET
from datetime import date, timedelta
from types import SimpleNamespace

import pytest

from kneadwell.knowledge.instruments.registry import get_instrument
from kneadwell.measures import graphs
from kneadwell.measures.progress import Course

NS = {"svg": "http://www.w3.org/2000/svg"}
START = date(2026, 9, 1)


def series(scores, *, higher_is_better=False, low=0, high=10, mic=2, marks=(), key="nprs"):
    points = [graphs.Point(START + timedelta(days=7 * n), s) for n, s in enumerate(scores)]
    return graphs.Series(
        key=key,
        title="NPRS",
        low=low,
        high=high,
        higher_is_better=higher_is_better,
        points=points,
        mic=mic,
        marks=marks,
    )


def parse(s: graphs.Series) -> ET.Element:
    return ET.fromstring(graphs.svg(s))


def circles(root):
    return root.findall("svg:circle[@class='chart-point']", NS)


def test_it_draws_one_point_per_score_in_date_order():
    data = series([7, 6, 6, 4, 3])
    found = circles(parse(data))
    assert [c.get("data-score") for c in found] == ["7", "6", "6", "4", "3"]
    assert [c.get("data-date") for c in found] == [f"{p.day:%Y-%m-%d}" for p in data.points]
    xs = [float(c.get("cx")) for c in found]
    assert xs == sorted(xs) and len(set(xs)) == len(xs)


def test_y_positions_map_back_to_the_scores():
    data = series([10, 7.5, 5, 0])
    for circle, point in zip(circles(parse(data)), data.points, strict=True):
        y = float(circle.get("cy"))
        share = (graphs.TOP + graphs.PLOT_HEIGHT - y) / graphs.PLOT_HEIGHT
        assert data.low + share * (data.high - data.low) == pytest.approx(point.score, abs=0.01)
    ys = [float(c.get("cy")) for c in circles(parse(data))]
    assert ys[0] == graphs.TOP  # the top of the scale is at the top of the plot
    assert ys[-1] == graphs.TOP + graphs.PLOT_HEIGHT


def test_the_line_joins_the_points_in_order():
    root = parse(series([8, 5, 3]))
    line = root.find("svg:polyline[@class='chart-line']", NS)
    joined = [tuple(map(float, pair.split(","))) for pair in line.get("points").split()]
    assert joined == [(float(c.get("cx")), float(c.get("cy"))) for c in circles(root)]


def test_the_baseline_is_the_first_score():
    root = parse(series([6, 4]))
    baseline = root.find("svg:line[@class='chart-baseline']", NS)
    assert baseline.get("data-score") == "6"
    assert float(baseline.get("y1")) == graphs.y_for(series([6, 4]), 6)


def test_the_band_spans_the_mic_around_the_baseline_clipped_to_the_scale():
    data = series([9, 5])
    band = parse(data).find("svg:rect[@class='chart-band']", NS)
    top, height = float(band.get("y")), float(band.get("height"))
    assert top == graphs.y_for(data, 10)  # 9 + 2 is off the scale: clipped at 10
    assert top + height == pytest.approx(graphs.y_for(data, 7))


def test_the_thirty_percent_lines_respect_the_direction():
    worse_is_up = parse(series([5, 4]))
    lines = {
        line.get("data-side"): float(line.get("y1"))
        for line in worse_is_up.findall("svg:line[@data-side]", NS)
    }
    assert lines["better"] > lines["worse"]  # lower is better: the better line sits lower
    psfs = series([5, 6], higher_is_better=True)
    lines = {
        line.get("data-side"): float(line.get("y1"))
        for line in parse(psfs).findall("svg:line[@data-side]", NS)
    }
    assert lines["better"] == graphs.y_for(psfs, 6.5)  # 30% above a baseline of 5
    assert lines["better"] < lines["worse"]
    assert "Higher is better" in graphs.svg(psfs)


def test_plan_changes_are_vertical_marks_at_their_dates():
    change = graphs.Mark(START + timedelta(days=10), "Plan v2")
    root = parse(series([7, 6, 5], marks=[change]))
    mark = root.find("svg:line[@class='chart-plan-change']", NS)
    assert mark.get("data-date") == "2026-09-11"
    assert mark.get("x1") == mark.get("x2")
    xs = [float(c.get("cx")) for c in circles(root)]
    assert xs[1] < float(mark.get("x1")) < xs[2]


def test_it_has_a_title_and_a_description_for_screen_readers():
    root = parse(series([7, 3]))
    assert root.get("role") == "img"
    title, desc = root.find("svg:title", NS), root.find("svg:desc", NS)
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert "from 7 on 2026-09-01 to 3 on 2026-09-08" in desc.text
    assert "Lower is better" in desc.text


def test_it_uses_no_style_attributes_scripts_or_external_references():
    markup = graphs.svg(series([7, 3], marks=[graphs.Mark(START, "Plan v2")]))
    for forbidden in ("style=", "<script", "href", "url("):
        assert forbidden not in markup


def test_a_single_score_is_drawn_in_the_middle_without_a_line():
    root = parse(series([6]))
    assert len(circles(root)) == 1
    assert root.find("svg:polyline", NS) is None


def test_it_escapes_text():
    data = graphs.Series("x", "<b>&", 0, 10, False, [graphs.Point(START, 1)])
    assert "<b>&" not in graphs.svg(data)
    ET.fromstring(graphs.svg(data))


def test_the_table_gives_the_change_from_baseline():
    rows = graphs.table_rows(series([10, 7, 12]))
    assert [(r["score"], r["change"], r["percent"]) for r in rows] == [
        ("10", "", ""),
        ("7", "-3", "-30%"),
        ("12", "+2", "+20%"),
    ]


def test_ticks_are_round_numbers_including_both_ends():
    assert graphs.ticks(0, 10) == [0, 2, 4, 6, 8, 10]
    assert graphs.ticks(0, 24) == [0, 5, 10, 15, 20, 24]
    assert graphs.ticks(0, 100) == [0, 20, 40, 60, 80, 100]


def test_series_for_a_course_uses_the_readings_threshold_and_charts_zcq_per_subscale():
    def response(score, subscores=None, day=0):
        taken = START + timedelta(days=day)
        return SimpleNamespace(score=score, subscores=subscores or {}, taken_at=taken)

    odi = Course(get_instrument("odi"), [response(40), response(28, day=14)], readings=())
    (found,) = graphs.series_for(odi)
    assert (found.low, found.high, found.mic, found.higher_is_better) == (0, 100, 10, False)
    assert [p.score for p in found.points] == [40, 28]

    zcq = get_instrument("zcq")
    subs = {s.id: 3 for s in zcq.subscales}
    course = Course(zcq, [response(None, subs)], readings=())
    assert [s.key for s in graphs.series_for(course)] == [f"zcq-{s.id}" for s in zcq.subscales]

    pgic = Course(get_instrument("pgic"), [response(2)], readings=())
    assert graphs.series_for(pgic) == []


def _long(n: int, every_days: int = 1) -> graphs.Series:
    start = date(2020, 1, 6)  # a Monday
    points = [graphs.Point(start + timedelta(days=every_days * i), float(i % 11)) for i in range(n)]
    return graphs.Series("nprs", "NPRS", 0, 10, False, points, mic=2)


def test_a_short_series_is_drawn_point_for_point():
    series = _long(graphs.MOST_POINTS)
    assert graphs.thinned(series) is series


def test_a_long_series_draws_one_median_per_period_and_keeps_its_baseline():
    series = _long(1000)  # daily for 1,000 days
    drawn = graphs.thinned(series)
    assert len(drawn.points) <= graphs.MOST_POINTS
    assert drawn.period_days == 28  # weeks (143) and fortnights (72) are still too many
    first = drawn.points[0]
    assert first.count == 28 and first.until == date(2020, 2, 2)
    assert first.score == 4  # the median of 0..10, 0..10, 0..5
    assert drawn.baseline == 0 and drawn.every_score[-1] == series.points[-1]
    assert sum(p.count for p in drawn.points) == 1000
    svg = graphs.svg(drawn)
    assert svg.count('class="chart-point"') == len(drawn.points)
    assert "median 4 of 28 scores from 2020-01-06 to 2020-02-02" in svg
    assert "1000 NPRS scores from 0 on 2020-01-06" in svg
    assert "each the median of the scores in a 4-week period" in svg
    assert len(graphs.table_rows(drawn)) == 1000  # the table still carries every score


def test_ten_years_of_weekly_scores_stay_bounded():
    drawn = graphs.thinned(_long(520, every_days=7))
    assert len(drawn.points) <= graphs.MOST_POINTS
    assert drawn.period_days == 91
