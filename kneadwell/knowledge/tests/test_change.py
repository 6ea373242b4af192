"""Reading a change against the minimal important change, at the edges and in both
directions."""

import pytest

from kneadwell.knowledge.instruments.change import ChangeError, read_change, read_rating


def test_it_reads_a_change_of_exactly_the_absolute_threshold_as_met():
    reading = read_change("odi", 40, 30)
    assert reading.absolute_met  # exactly 10 points
    assert not reading.percent_met  # 25%
    assert reading.status == "improved"
    assert reading.absolute_threshold == 10


def test_it_reads_exactly_thirty_percent_as_met():
    reading = read_change("nprs", 10, 7)
    assert reading.percent == pytest.approx(30)
    assert reading.percent_met
    assert reading.absolute_met
    assert reading.status == "improved"


def test_it_reads_just_under_both_thresholds_as_no_meaningful_change():
    reading = read_change("rmdq", 20, 16)  # 4 points, 20%
    assert (reading.absolute_met, reading.percent_met) == (False, False)
    assert reading.status == "no_meaningful_change"


def test_it_reads_a_percent_change_alone_as_enough_by_default():
    reading = read_change("nprs", 3, 2)  # 1 point, 33%
    assert (reading.absolute_met, reading.percent_met) == (False, True)
    assert reading.status == "improved"
    assert read_change("nprs", 3, 2, require="both").status == "no_meaningful_change"


def test_it_reads_a_rise_on_a_higher_is_worse_scale_as_worse():
    reading = read_change("ndi", 10, 15)
    assert reading.delta == 5
    assert reading.improvement == -5
    assert reading.status == "worse"


def test_it_respects_the_psfs_direction():
    improved = read_change("psfs", 3, 5)
    assert improved.improvement == 2
    assert improved.status == "improved"
    assert improved.direction == "higher_is_better"
    assert read_change("psfs", 5, 3).status == "worse"


def test_it_reads_a_baseline_of_zero_by_points_only():
    reading = read_change("psfs", 0, 2)
    assert reading.percent is None
    assert reading.percent_met is None
    assert reading.absolute_met
    assert reading.status == "improved"
    assert "Baseline is 0" in reading.notes[0]


def test_it_refuses_a_change_it_has_no_threshold_for():
    with pytest.raises(ChangeError, match="no threshold"):
        read_change("sbi", 0, 4)
    assert read_change("sbi", 10, 7).status == "improved"  # percent only: 30%


def test_it_takes_an_absolute_threshold_from_the_caller():
    reading = read_change("rmdq", 10, 8, absolute=2, percent_threshold=None)
    assert reading.absolute_met
    assert reading.percent_threshold is None
    assert reading.thresholds[0].type == "given"


def test_it_says_which_thresholds_were_used_and_where_they_come_from():
    reading = read_change("odi", 40, 28)
    kinds = {(t.kind, t.type) for t in reading.thresholds}
    assert kinds == {("absolute", "individual_mic"), ("percent", "individual_mic")}
    assert "Ostelo" in reading.thresholds[0].sources[0]
    default = read_change("psfs", 4, 6).thresholds[1]
    assert (default.type, default.confidence) == ("default", "design")


def test_it_reads_a_zcq_subscale_against_its_own_threshold():
    reading = read_change("zcq", 3.0, 2.79, subscale="symptom_severity")
    assert reading.absolute_threshold == 0.21
    assert reading.absolute_met
    with pytest.raises(ChangeError, match="no total score; read a subscale"):
        read_change("zcq", 3, 2)


def test_it_reads_pgic_much_or_very_much_improved_as_improved():
    assert [read_rating("pgic", v).status for v in range(1, 8)] == [
        "improved",
        "improved",
        "no_meaningful_change",
        "no_meaningful_change",
        "no_meaningful_change",
        "worse",
        "worse",
    ]
    assert read_change("pgic", None, 2).status == "improved"


def test_it_reads_groc_plus_three_or_more_as_improved():
    assert read_change("groc", None, 3).status == "improved"
    assert read_change("groc", None, 2).status == "no_meaningful_change"
    assert read_change("groc", None, -3).status == "worse"


def test_it_refuses_to_read_start_back_as_a_change_measure():
    with pytest.raises(ChangeError, match="not a change measure"):
        read_change("startback", 5, 2)


def test_it_refuses_values_off_the_scale():
    with pytest.raises(ChangeError, match="outside the scale 0–100"):
        read_change("odi", 40, 120)
