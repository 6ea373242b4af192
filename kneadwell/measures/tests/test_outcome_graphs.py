"""The outcome charts' SVG (step curves and bars), parsed back and compared with their data."""

import re
import xml.etree.ElementTree as ET

import pytest

from kneadwell.measures import graphs

NS = {"svg": "http://www.w3.org/2000/svg"}


def step_chart(lines, **kwargs):
    return graphs.StepChart(
        "km", "Improved by session", "Sessions", "Improved (%)", lines, "words", **kwargs
    )


def parse(markup: str) -> ET.Element:
    return ET.fromstring(markup)


def test_a_step_curve_goes_across_then_up_at_each_time():
    line = graphs.StepLine("All", [(0, 0, 0, 0), (2, 0.25, 0.1, 0.4), (5, 0.75, 0.5, 0.9)])
    root = parse(graphs.step_svg(step_chart([line])))
    path = root.find("svg:path[@class='chart-step']", NS).get("d")
    moves = re.findall(r"([MHV])([\d.]+)(?:,([\d.]+))?", path)
    # Starts at (0, 0%), then horizontal to x(2), vertical to y(25%), horizontal to x(5)…
    assert [m[0] for m in moves] == ["M", "H", "V", "H", "V"]
    xs = [float(m[1]) for m in moves if m[0] == "H"]
    ys = [float(m[1]) for m in moves if m[0] == "V"]
    assert xs[0] < xs[1] and ys[0] > ys[1]  # later, and higher up (y grows downwards)
    assert root.find("svg:polygon[@class='chart-ci']", NS) is not None


def test_several_curves_are_told_apart_by_dashes_and_named_in_a_legend():
    lines = [
        graphs.StepLine(f"band {n}", [(0, 0, None, None), (3, 0.5, None, None)]) for n in range(3)
    ]
    markup = graphs.step_svg(step_chart(lines))
    root = parse(markup)
    dashes = [p.get("stroke-dasharray") for p in root.findall("svg:path[@class='chart-step']", NS)]
    assert len(set(dashes)) == 3  # colour is never the only signal
    assert all(f"band {n}" in markup for n in range(3))
    assert root.find("svg:polygon[@class='chart-ci']", NS) is None  # no bands on a busy chart


def test_a_step_chart_is_labelled_for_screen_readers():
    root = parse(graphs.step_svg(step_chart([graphs.StepLine("All", [(0, 0, 0, 0)])])))
    assert root.get("role") == "img"
    assert root.find("svg:title", NS).text == "Improved by session"
    assert root.find("svg:desc", NS).text == "words"
    assert root.find("svg:line[@class='chart-reference']", NS).get("data-share") == "0.5"


def test_text_is_escaped():
    line = graphs.StepLine("<b>&", [(0, 0, None, None)])
    markup = graphs.step_svg(step_chart([line], legend=True))
    assert "<b>" not in markup and "&lt;b&gt;&amp;" in markup
    parse(markup)


def bar_chart(bars, **kwargs):
    return graphs.BarChart(
        "bars", "Shares", bars, high=kwargs.pop("high", 1), description="d", **kwargs
    )


def test_bars_are_as_long_as_their_values_with_whiskers_for_intervals():
    bars = [graphs.Bar("A", 0.5, "50%", 0.3, 0.7), graphs.Bar("B", 0.25, "25%")]
    root = parse(graphs.bars_svg(bar_chart(bars, unit="%", scale=100)))
    widths = [float(r.get("width")) for r in root.findall("svg:rect[@class='chart-bar']", NS)]
    assert widths[0] == pytest.approx(2 * widths[1])
    whiskers = root.findall("svg:path[@class='chart-whisker']", NS)
    assert len(whiskers) == 1 and whiskers[0].get("data-lower") == "0.3"
    ticks = [t.text for t in root.findall("svg:text[@class='chart-tick']", NS)]
    assert ticks[0] == "0%" and ticks[-1] == "100%"


def test_a_suppressed_bar_prints_its_text_and_draws_nothing():
    root = parse(graphs.bars_svg(bar_chart([graphs.Bar("Small group", None, "too few to show")])))
    assert root.find("svg:rect[@class='chart-bar']", NS) is None
    assert "too few to show" in [t.text for t in root.findall("svg:text", NS)]


def test_negative_values_grow_left_of_a_zero_line():
    bars = [graphs.Bar("Worse", -2, "−2"), graphs.Bar("Better", 4, "+4")]
    root = parse(graphs.bars_svg(bar_chart(bars, low=-5, high=5)))
    zero = float(root.find("svg:line[@class='chart-zero']", NS).get("x1"))
    worse, better = root.findall("svg:rect[@class='chart-bar']", NS)
    assert float(worse.get("x")) + float(worse.get("width")) == pytest.approx(zero)
    assert float(better.get("x")) == pytest.approx(zero)
