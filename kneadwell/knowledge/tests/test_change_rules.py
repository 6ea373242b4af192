"""Each instrument's change is read against its own threshold from its data file and the 30%
rule of FACTS §6.2, both computed, with a flag when only one is met: FIQR's 14% (for the
original FIQ), PSFS against its MDC, MIC types as FACTS gives them."""

import pytest

from kneadwell.knowledge.instruments.change import change_rule, read_change, rule_texts
from kneadwell.knowledge.instruments.registry import load_instruments
from kneadwell.measures.progress import describe_thresholds

SCORED = [i for i in load_instruments().values() if i.change_measure == "score"]


def test_fiqr_reads_exactly_14_percent_as_a_meaningful_change_that_meets_only_its_mic():
    reading = read_change("fiqr", 60, 51.6)  # 8.4 points: exactly 14% better
    assert reading.percent == pytest.approx(14)
    assert reading.mic_percent_threshold == 14 and reading.mic_met
    assert reading.percent_threshold == 30 and not reading.percent_met
    assert reading.status == "improved" and reading.only_one_met
    assert reading.absolute_threshold is None  # the FIQR's MIC is a percent, not points
    words = describe_thresholds(reading)
    assert "14% against the minimal important change ≥ 14%: met" in words
    assert "14% against ≥ 30%: not met" in words and "only one of the two rules is met" in words


def test_fiqr_just_under_14_percent_is_no_meaningful_change():
    reading = read_change("fiqr", 60, 52)  # 13.3%
    assert (reading.mic_met, reading.percent_met) == (False, False)
    assert reading.status == "no_meaningful_change" and not reading.only_one_met


def test_fiqr_at_30_percent_meets_both_and_14_percent_worse_is_worse():
    both = read_change("fiqr", 60, 42)
    assert (both.mic_met, both.percent_met, both.only_one_met) == (True, True, False)
    worse = read_change("fiqr", 50, 57)  # 14% worse
    assert worse.status == "worse" and worse.mic_met and not worse.percent_met


def test_psfs_is_read_against_its_mdc_of_2():
    rule = change_rule("psfs")
    assert (rule.mic.type, rule.mic.value, rule.mic.confidence) == ("mdc", 2, "verified")
    reading = read_change("psfs", 6, 8)  # 2 points (the MDC), 33%
    assert reading.absolute_threshold == 2 and reading.mic_met and reading.percent_met
    assert "2 points against the MDC ≥ 2: met" in describe_thresholds(reading)


def test_psfs_under_the_mdc_but_30_percent_better_meets_only_the_30_percent_rule():
    reading = read_change("psfs", 3, 4.5)  # 1.5 points, 50%
    assert (reading.mic_met, reading.percent_met) == (False, True)
    assert reading.status == "improved" and reading.only_one_met


def test_psfs_at_the_mdc_but_under_30_percent_meets_only_the_mdc():
    reading = read_change("psfs", 7, 9)  # 2 points, 28.6%
    assert (reading.mic_met, reading.percent_met, reading.only_one_met) == (True, False, True)
    assert read_change("psfs", 7, 8.9).status == "no_meaningful_change"  # 1.9 points, 27%


@pytest.mark.parametrize("instrument", SCORED, ids=[i.id for i in SCORED])
def test_every_scored_instrument_has_a_rule_from_its_data_file(instrument):
    subscales = [None] if instrument.has_total else [s.id for s in instrument.subscales]
    for subscale in subscales:
        rule = change_rule(instrument, subscale)
        assert rule.percent_rule is not None and rule.percent_rule.value == 30
        if rule.mic is not None:
            published = [m for m in instrument.mic if m.subscale == subscale]
            match = next(m for m in published if m.type == rule.mic.type)
            assert rule.mic.value in (match.absolute, match.percent)
            assert rule.mic.type in ("individual_mic", "mdc")  # never a between-group value
    assert rule_texts(instrument)


def test_rule_texts_quote_each_instruments_own_threshold():
    assert rule_texts("odi") == [
        "ODI: a meaningful change is at least 10 points (minimal important change "
        "(individual); Low back pain (international consensus)) or at least 30% from baseline"
    ]
    (fiqr,) = rule_texts("fiqr")
    assert "at least 14%" in fiqr and "original FIQ" in fiqr and "30% from baseline" in fiqr
    (psfs,) = rule_texts("psfs")
    assert "at least 2 points (minimal detectable change" in psfs
    zcq = rule_texts("zcq")
    assert len(zcq) == 2 and all("0.21" in t or "0.16" in t for t in zcq)


def test_the_rmdq_between_group_mcid_never_reads_one_clients_change():
    assert change_rule("rmdq").mic.type == "individual_mic"
    assert change_rule("rmdq").mic.value == 5
