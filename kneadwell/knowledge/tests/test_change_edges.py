"""Classification at the edges that test_change.py leaves open: the PSFS at exactly its
threshold in both directions, exactly 30% upwards, and exactly 30% worse."""

import pytest

from kneadwell.knowledge.instruments.change import read_change


def test_a_psfs_drop_of_exactly_the_threshold_is_worse():
    reading = read_change("psfs", 6, 4)
    assert reading.absolute_met and reading.improvement == -2
    assert reading.status == "worse"


def test_a_psfs_rise_of_exactly_thirty_percent_is_improved():
    reading = read_change("psfs", 5, 6.5)  # 1.5 points: under the 2-point threshold
    assert reading.percent == pytest.approx(30)
    assert (reading.absolute_met, reading.percent_met) == (False, True)
    assert reading.status == "improved"


def test_a_psfs_rise_just_under_both_thresholds_is_no_meaningful_change():
    reading = read_change("psfs", 5, 6.4)
    assert (reading.absolute_met, reading.percent_met) == (False, False)
    assert reading.status == "no_meaningful_change"


def test_exactly_thirty_percent_worse_on_a_higher_is_worse_scale_is_worse():
    reading = read_change("odi", 30, 39)  # 9 points (under 10), 30%
    assert reading.percent == pytest.approx(-30)
    assert (reading.absolute_met, reading.percent_met) == (False, True)
    assert reading.status == "worse"


def test_exactly_the_rmdq_threshold_is_improved_and_one_point_less_is_not():
    assert read_change("rmdq", 20, 15).status == "improved"  # 5 points, 25%
    assert read_change("rmdq", 20, 16).status == "no_meaningful_change"  # 4 points, 20%
