"""The estimators behind the outcomes page, as plain functions over plain numbers.

Kaplan–Meier with Greenwood's variance and log–log ("exponential Greenwood") pointwise
intervals; quantiles of the time to an event with Brookmeyer–Crowley intervals read from those
bands; the mean with a t-based interval; Wilson's interval for a proportion; a rate per 100
with Garwood's exact Poisson interval. No database, no Django and no numerical library: the
tests check every function against lifelines and SciPy (used there only) and worked examples.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from statistics import NormalDist

# S(t) ≤ q counts as reached when it is within float noise of q (1 − 1/2 is exactly 0.5).
TOLERANCE = 1e-12


def z_for(confidence: float) -> float:
    """The two-sided standard normal quantile, 1.96 for 95%."""
    return NormalDist().inv_cdf(1 - (1 - confidence) / 2)


# --- Kaplan–Meier --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """The curve at one time: who was at risk, what happened there, and S(t) after it."""

    time: float
    at_risk: float
    events: float
    censored: float
    survival: float  # the share still without the event just after `time`
    variance: float  # Greenwood: S² · Σ d / (n (n − d))
    lower: float  # pointwise interval for `survival`
    upper: float

    @property
    def reached(self) -> float:
        """The share who had the event by `time` (1 − S), e.g. improved by session t."""
        return 1 - self.survival


@dataclass(frozen=True)
class Curve:
    """A Kaplan–Meier estimate: steps at time 0 and at every time something happened."""

    steps: tuple[Step, ...]
    n: float
    events: float
    confidence: float

    def at(self, time: float) -> Step:
        """The step in force at `time` (the last one at or before it)."""
        found = self.steps[0]
        for step in self.steps:
            if step.time > time:
                break
            found = step
        return found


def kaplan_meier(
    times: Sequence[float],
    events: Sequence[bool],
    weights: Sequence[float] | None = None,
    confidence: float = 0.95,
) -> Curve:
    """The Kaplan–Meier estimate of S(t) = P(no event by t) from right-censored data.

    `times[i]` is when subject i had the event (`events[i]` true) or was last seen without it;
    `weights[i]` counts identical subjects (grouped data from SQL). At a tied time, events come
    before censorings: someone censored at t was still at risk at t. The timeline starts at 0.
    The interval is the log–log transformed one built on Greenwood's variance, which stays
    inside [0, 1] (lifelines' default; R's conf.type="log-log").
    """
    if not len(times) == len(events) == (len(weights) if weights is not None else len(times)):
        raise ValueError("times, events and weights must have the same length")
    weights = [1.0] * len(times) if weights is None else list(weights)
    table: dict[float, list[float]] = {}
    for time, event, weight in zip(times, events, weights, strict=True):
        if time < 0 or weight < 0 or math.isnan(time):
            raise ValueError("times and weights must be 0 or more")
        row = table.setdefault(float(time), [0.0, 0.0])
        row[0 if event else 1] += weight
    table.setdefault(0.0, [0.0, 0.0])
    z = z_for(confidence)
    at_risk = float(sum(weights))
    survival, greenwood = 1.0, 0.0
    steps = []
    for time in sorted(table):
        died, censored = table[time]
        if died:
            survival *= 1 - died / at_risk
            if at_risk > died:
                greenwood += died / (at_risk * (at_risk - died))
        lower, upper = _log_log_band(survival, greenwood, z)
        steps.append(
            Step(
                time=time,
                at_risk=at_risk,
                events=died,
                censored=censored,
                survival=survival,
                variance=survival * survival * greenwood,
                lower=lower,
                upper=upper,
            )
        )
        at_risk -= died + censored
    total_events = sum(w for e, w in zip(events, weights, strict=True) if e)
    return Curve(tuple(steps), float(sum(weights)), float(total_events), confidence)


def _log_log_band(survival: float, greenwood: float, z: float) -> tuple[float, float]:
    """exp(−exp(log(−log S) ∓ z·√Σ / log S)); (1, 1) before any event and (0, 0) at zero."""
    if survival >= 1:
        return 1.0, 1.0
    if survival <= 0:
        return 0.0, 0.0
    log_s = math.log(survival)
    spread = z * math.sqrt(greenwood) / log_s  # negative: log S < 0
    return math.exp(-math.exp(math.log(-log_s) - spread)), math.exp(
        -math.exp(math.log(-log_s) + spread)
    )


@dataclass(frozen=True)
class Quantile:
    """The time by which `share` of subjects had the event, with its interval.

    None means not reached: the curve (or that side of its band) never fell that far within
    the follow-up, so the honest answer is "more than the last time observed"."""

    share: float
    estimate: float | None
    lower: float | None
    upper: float | None


def quantile(curve: Curve, share: float) -> Quantile:
    """The earliest time at which S(t) ≤ 1 − share (the median for share=0.5), and its
    Brookmeyer–Crowley interval: the earliest times at which the lower and the upper pointwise
    bands fall to 1 − share (as lifelines' qth_survival_times and R's quantile.survfit)."""
    if not 0 < share < 1:
        raise ValueError("share is between 0 and 1, e.g. 0.5 for the median")
    level = 1 - share

    def first(value) -> float | None:
        return next((s.time for s in curve.steps if value(s) <= level + TOLERANCE), None)

    return Quantile(
        share=share,
        estimate=first(lambda s: s.survival),
        lower=first(lambda s: s.lower),
        upper=first(lambda s: s.upper),
    )


# --- Means and proportions -----------------------------------------------------------------------


@dataclass(frozen=True)
class Mean:
    n: int
    mean: float | None
    sd: float | None
    lower: float | None  # None below two values: no interval from one number
    upper: float | None


def mean_interval(n: int, total: float, total_squares: float, confidence: float = 0.95) -> Mean:
    """The mean and its t-based interval, mean ± t(1 − α/2, n − 1) · sd / √n, from the count,
    sum and sum of squares (what SQL aggregates give)."""
    if n <= 0:
        return Mean(0, None, None, None, None)
    mean = total / n
    if n == 1:
        return Mean(1, mean, None, None, None)
    variance = max((total_squares - total * total / n) / (n - 1), 0.0)
    sd = math.sqrt(variance)
    half = t_quantile(1 - (1 - confidence) / 2, n - 1) * sd / math.sqrt(n)
    return Mean(n, mean, sd, mean - half, mean + half)


def mean_of(values: Iterable[float], confidence: float = 0.95) -> Mean:
    """mean_interval over a list of values."""
    values = list(values)
    return mean_interval(len(values), sum(values), sum(v * v for v in values), confidence)


@dataclass(frozen=True)
class Proportion:
    successes: int
    n: int
    share: float | None
    lower: float | None
    upper: float | None


def wilson(successes: int, n: int, confidence: float = 0.95) -> Proportion:
    """A share with Wilson's score interval (Wilson 1927), which behaves near 0 and 1 and with
    small n, unlike the ±1.96·√(p(1−p)/n) interval."""
    if not 0 <= successes <= n:
        raise ValueError("successes must be between 0 and n")
    if n == 0:
        return Proportion(0, 0, None, None, None)
    z = z_for(confidence)
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z / denominator * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    # At 0 and n the interval touches the end exactly (the formula leaves float noise).
    lower = 0.0 if successes == 0 else max(0.0, centre - half)
    upper = 1.0 if successes == n else min(1.0, centre + half)
    return Proportion(successes, n, p, lower, upper)


@dataclass(frozen=True)
class Rate:
    events: int
    exposure: int  # visits
    per: int
    rate: float | None
    lower: float | None
    upper: float | None


def rate(events: int, exposure: int, per: int = 100, confidence: float = 0.95) -> Rate:
    """Events per `per` visits with Garwood's exact Poisson interval (chi-square quantiles
    χ²(α/2; 2k)/2 and χ²(1 − α/2; 2k + 2)/2, as half gamma quantiles)."""
    if events < 0 or exposure < 0:
        raise ValueError("events and visits are counts")
    if exposure == 0:
        return Rate(events, 0, per, None, None, None)
    alpha = 1 - confidence
    low = 0.0 if events == 0 else gamma_quantile(alpha / 2, events)
    high = gamma_quantile(1 - alpha / 2, events + 1)
    scale = per / exposure
    return Rate(events, exposure, per, events * scale, low * scale, high * scale)


# --- Distributions (the quantiles above need them; SciPy checks them in the tests) ---------------


@functools.lru_cache(maxsize=4096)
def t_quantile(p: float, df: float) -> float:
    """The p-quantile of Student's t with `df` degrees of freedom (remembered: a page asks for
    the same few again and again, and each costs a bisection)."""
    if not 0 < p < 1 or df <= 0:
        raise ValueError("p is in (0, 1) and df is positive")
    if p < 0.5:
        return -t_quantile(1 - p, df)
    if p == 0.5:
        return 0.0
    # Bracket, then bisect on the CDF: slow but exact to the float, and only called a few times.
    low, high = 0.0, max(1.0, NormalDist().inv_cdf(p) * 2)
    while t_cdf(high, df) < p:
        high *= 2
    for _ in range(200):
        middle = (low + high) / 2
        if t_cdf(middle, df) < p:
            low = middle
        else:
            high = middle
        if high - low <= 1e-15 * max(1.0, high):
            break
    return (low + high) / 2


def t_cdf(t: float, df: float) -> float:
    """P(T ≤ t) for Student's t, through the regularized incomplete beta function."""
    tail = 0.5 * incomplete_beta(df / 2, 0.5, df / (df + t * t))
    return 1 - tail if t >= 0 else tail


def incomplete_beta(a: float, b: float, x: float) -> float:
    """The regularized incomplete beta I_x(a, b), by its continued fraction (Lentz)."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    log_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    if x < (a + 1) / (a + b + 2):
        return math.exp(log_front) * _beta_fraction(a, b, x) / a
    return 1 - math.exp(log_front) * _beta_fraction(b, a, 1 - x) / b


def _beta_fraction(a: float, b: float, x: float) -> float:
    tiny = 1e-300
    c, d = 1.0, 1 - (a + b) * x / (a + 1)
    d = 1 / (d if abs(d) > tiny else tiny)
    result = d
    for m in range(1, 500):
        for numerator in (
            m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1)),
        ):
            d = 1 + numerator * d
            d = 1 / (d if abs(d) > tiny else tiny)
            c = 1 + numerator / c
            c = c if abs(c) > tiny else tiny
            result *= c * d
        if abs(c * d - 1) < 1e-16:
            break
    return result


@functools.lru_cache(maxsize=4096)
def gamma_quantile(p: float, shape: float) -> float:
    """The p-quantile of the gamma distribution with this shape and scale 1 (remembered, as
    `t_quantile`)."""
    if not 0 < p < 1 or shape <= 0:
        raise ValueError("p is in (0, 1) and the shape is positive")
    low, high = 0.0, max(1.0, shape * 2)
    while incomplete_gamma(shape, high) < p:
        high *= 2
    for _ in range(200):
        middle = (low + high) / 2
        if incomplete_gamma(shape, middle) < p:
            low = middle
        else:
            high = middle
        if high - low <= 1e-15 * max(1.0, high):
            break
    return (low + high) / 2


def incomplete_gamma(a: float, x: float) -> float:
    """The regularized lower incomplete gamma P(a, x): its series below a + 1, else its
    continued fraction."""
    if x <= 0:
        return 0.0
    log_front = a * math.log(x) - x - math.lgamma(a)
    if x < a + 1:
        term = total = 1 / a
        n = a
        for _ in range(10_000):
            n += 1
            term *= x / n
            total += term
            if abs(term) < abs(total) * 1e-17:
                break
        return min(1.0, total * math.exp(log_front))
    tiny = 1e-300
    b = x + 1 - a
    c, d = 1 / tiny, 1 / b
    result = d
    for i in range(1, 10_000):
        an = -i * (i - a)
        b += 2
        d = an * d + b
        d = 1 / (d if abs(d) > tiny else tiny)
        c = b + an / c
        c = c if abs(c) > tiny else tiny
        result *= d * c
        if abs(d * c - 1) < 1e-16:
            break
    return max(0.0, 1 - math.exp(log_front) * result)
