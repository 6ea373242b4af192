"""The estimators against a hand-worked example, and against lifelines and SciPy (test-only
oracles) on random censored data."""

import math

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from lifelines import KaplanMeierFitter
from lifelines.utils import qth_survival_time
from scipy import stats as scipy_stats

from kneadwell.analytics import stats

# Seven courses, sessions to improvement: improved at 2, 2, 3 and 5; last scored without
# improvement at 2 (a tie with two events), 4 and 6.
TIMES = [2, 2, 2, 3, 4, 5, 6]
EVENTS = [True, True, False, True, False, True, False]


def test_it_matches_the_hand_worked_example():
    # n at risk, events d: t=2: 7, 2 → S = 5/7; t=3: 4 (7 − 2 events − 1 censored), 1 →
    # S = 5/7 · 3/4 = 15/28; t=4: a censoring only; t=5: 2, 1 → S = 15/56; t=6: censored.
    # Greenwood sums d/(n(n−d)): 2/35, + 1/12 = 59/420, + 1/2 = 269/420.
    curve = stats.kaplan_meier(TIMES, EVENTS)
    by_time = {s.time: s for s in curve.steps}
    assert [s.time for s in curve.steps] == [0, 2, 3, 4, 5, 6]
    assert [by_time[t].at_risk for t in (2, 3, 4, 5, 6)] == [7, 4, 3, 2, 1]
    assert by_time[2].survival == pytest.approx(5 / 7)
    assert by_time[3].survival == pytest.approx(15 / 28)
    assert by_time[4].survival == pytest.approx(15 / 28)
    assert by_time[5].survival == pytest.approx(15 / 56)
    assert by_time[2].variance == pytest.approx((5 / 7) ** 2 * 2 / 35)
    assert by_time[3].variance == pytest.approx((15 / 28) ** 2 * 59 / 420)
    assert by_time[5].variance == pytest.approx((15 / 56) ** 2 * 269 / 420)
    # Log–log band at t=2: exp(−exp(log(−log S) ∓ 1.96·√(2/35)/log S)).
    log_s = math.log(5 / 7)
    spread = 1.959964 * math.sqrt(2 / 35) / log_s
    assert by_time[2].lower == pytest.approx(math.exp(-math.exp(math.log(-log_s) - spread)), 1e-6)
    assert by_time[2].lower == pytest.approx(0.25815, abs=1e-5)
    assert by_time[2].upper == pytest.approx(0.91980, abs=1e-5)
    assert curve.n == 7 and curve.events == 4


def test_its_quartiles_and_their_intervals_follow_the_bands():
    curve = stats.kaplan_meier(TIMES, EVENTS)
    median = stats.quantile(curve, 0.5)
    # S(3) = 0.536 > 0.5, S(5) = 0.268: half had improved by session 5. The lower band is
    # already 0.258 at 2; the upper band never falls to 0.5 (0.67 at the end): not reached.
    assert (median.estimate, median.lower, median.upper) == (5, 2, None)
    quarter = stats.quantile(curve, 0.25)
    assert (quarter.estimate, quarter.lower, quarter.upper) == (2, 2, 5)
    # Three quarters would need S ≤ 0.25; the curve ends at 0.268.
    assert stats.quantile(curve, 0.75).estimate is None


def test_a_tie_of_events_and_censorings_counts_the_censored_as_at_risk():
    curve = stats.kaplan_meier([1, 1], [True, False])
    assert curve.at(1).at_risk == 2
    assert curve.at(1).survival == pytest.approx(0.5)


def test_weights_are_the_same_as_repeated_rows():
    grouped = stats.kaplan_meier([2, 3, 5], [True, False, True], [3, 2, 4])
    repeated = stats.kaplan_meier(
        [2] * 3 + [3] * 2 + [5] * 4, [True] * 3 + [False] * 2 + [True] * 4
    )
    assert grouped.steps == repeated.steps


def test_all_censored_is_a_flat_curve_and_no_quantile():
    curve = stats.kaplan_meier([0, 3, 4], [False, False, False])
    assert all(s.survival == 1 for s in curve.steps)
    assert stats.quantile(curve, 0.5) == stats.Quantile(0.5, None, None, None)


def test_everyone_improving_reaches_zero_with_a_zero_band():
    curve = stats.kaplan_meier([1, 2], [True, True])
    last = curve.steps[-1]
    assert (last.survival, last.lower, last.upper) == (0, 0, 0)


def test_no_data_is_a_curve_at_one_with_no_quantiles():
    curve = stats.kaplan_meier([], [])
    assert curve.n == 0 and curve.steps[0].survival == 1
    assert stats.quantile(curve, 0.5).estimate is None


def test_it_refuses_negative_times_and_mismatched_lengths():
    with pytest.raises(ValueError, match="0 or more"):
        stats.kaplan_meier([-1], [True])
    with pytest.raises(ValueError, match="same length"):
        stats.kaplan_meier([1, 2], [True])


# --- The oracle: lifelines on random censored data ---------------------------------------------

subjects = st.lists(
    st.tuples(st.integers(0, 15), st.booleans(), st.integers(1, 5)), min_size=1, max_size=60
)


@settings(max_examples=150, deadline=None)
@given(subjects)
def test_it_gives_lifelines_curve_and_confidence_interval(rows):
    times, events, weights = (list(x) for x in zip(*rows, strict=True))
    fitted = KaplanMeierFitter().fit(times, events, weights=weights)
    ours = stats.kaplan_meier(times, events, weights)
    survival = fitted.survival_function_.iloc[:, 0]
    band = fitted.confidence_interval_
    assert [s.time for s in ours.steps] == list(survival.index)
    for index, step in enumerate(ours.steps):
        assert step.survival == pytest.approx(survival.iloc[index], abs=1e-9)
        assert step.lower == pytest.approx(band.iloc[index, 0], abs=1e-9)
        assert step.upper == pytest.approx(band.iloc[index, 1], abs=1e-9)
        assert step.at_risk == fitted.event_table["at_risk"].iloc[index]


@settings(max_examples=150, deadline=None)
@given(subjects, st.sampled_from([0.25, 0.5, 0.75]))
def test_its_quantiles_and_intervals_match_lifelines(rows, share):
    times, events, weights = (list(x) for x in zip(*rows, strict=True))
    fitted = KaplanMeierFitter().fit(times, events, weights=weights)
    ours = stats.kaplan_meier(times, events, weights)
    level = 1 - share
    # Where S lands exactly on the level, lifelines' exp(Σ log) may fall either side of it by
    # float noise; ours counts it as reached. Those cases say nothing about the method.
    assume(all(abs(s.survival - level) > 1e-9 for s in ours.steps))
    found = stats.quantile(ours, share)
    expected = qth_survival_time(level, fitted.survival_function_.iloc[:, 0])
    band = fitted.confidence_interval_
    lower = qth_survival_time(level, band.iloc[:, 0])
    upper = qth_survival_time(level, band.iloc[:, 1])

    def same(value, oracle):
        return (value is None and math.isinf(oracle)) or value == oracle

    assert same(found.estimate, expected)
    assert same(found.lower, lower)
    assert same(found.upper, upper)


# --- Means, proportions, rates and the distributions behind them --------------------------------


def test_the_mean_interval_is_the_t_interval():
    # Hand-worked: mean 4, sd √12.5, t(0.975; 4) = 2.7764 → 4 ± 4.3899.
    found = stats.mean_of([1, 2, 3, 4, 10])
    assert found.mean == 4
    assert found.sd == pytest.approx(math.sqrt(12.5))
    assert (found.lower, found.upper) == pytest.approx((-0.38995, 8.38995), abs=1e-5)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.floats(-50, 50, allow_nan=False), min_size=2, max_size=40))
def test_the_mean_interval_matches_scipy(values):
    found = stats.mean_of(values)
    assume(found.sd and found.sd > 1e-6)
    low, high = scipy_stats.t.interval(
        0.95, len(values) - 1, loc=found.mean, scale=scipy_stats.sem(values)
    )
    assert found.lower == pytest.approx(low, rel=1e-7, abs=1e-7)
    assert found.upper == pytest.approx(high, rel=1e-7, abs=1e-7)


def test_one_value_has_a_mean_but_no_interval():
    assert stats.mean_of([3.0]) == stats.Mean(1, 3.0, None, None, None)
    assert stats.mean_of([]).mean is None


@pytest.mark.parametrize("df", [1, 2, 3, 5, 9, 29, 120, 10_000])
@pytest.mark.parametrize("p", [0.6, 0.9, 0.975, 0.995, 0.025])
def test_t_quantiles_match_scipy(p, df):
    assert stats.t_quantile(p, df) == pytest.approx(scipy_stats.t.ppf(p, df), rel=1e-10)


@pytest.mark.parametrize("shape", [0.5, 1, 2, 7, 40, 300])
@pytest.mark.parametrize("p", [0.025, 0.5, 0.975])
def test_gamma_quantiles_match_scipy(p, shape):
    assert stats.gamma_quantile(p, shape) == pytest.approx(
        scipy_stats.gamma.ppf(p, shape), rel=1e-9
    )


def test_wilson_matches_the_hand_worked_example():
    # By hand, 8 of 10: centre (0.8 + 1.96²/20) / (1 + 1.96²/10) = 0.7167, half-width
    # 1.96 / 1.3841 · √(0.016 + 0.0096) = 0.2266, so 0.490 to 0.943.
    found = stats.wilson(8, 10)
    assert (found.lower, found.upper) == pytest.approx((0.4902, 0.9433), abs=1e-4)
    assert stats.wilson(0, 10).lower == 0 and stats.wilson(10, 10).upper == 1
    assert stats.wilson(0, 0).share is None


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 500).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_wilson_matches_its_closed_form(pair):
    k, n = pair
    z = scipy_stats.norm.ppf(0.975)
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    found = stats.wilson(k, n)
    assert found.lower == pytest.approx(max(0, centre - half), abs=1e-12)
    assert found.upper == pytest.approx(min(1, centre + half), abs=1e-12)


@pytest.mark.parametrize(("events", "visits"), [(0, 50), (3, 200), (41, 1000), (500, 2300)])
def test_rates_have_garwood_exact_intervals(events, visits):
    found = stats.rate(events, visits)
    low = 0 if events == 0 else scipy_stats.chi2.ppf(0.025, 2 * events) / 2
    high = scipy_stats.chi2.ppf(0.975, 2 * events + 2) / 2
    assert found.rate == pytest.approx(100 * events / visits)
    assert found.lower == pytest.approx(100 * low / visits, rel=1e-9, abs=1e-12)
    assert found.upper == pytest.approx(100 * high / visits, rel=1e-9)


def test_a_rate_without_visits_is_unknown():
    assert stats.rate(0, 0).rate is None
