"""How one client's courses are read from plain facts: sessions, baseline, follow-ups, the
event or the censoring, in both directions of scale. No database."""

from datetime import date, datetime, timedelta

from kneadwell.analytics.summary import (
    PlanFacts,
    ScoreFacts,
    SessionFacts,
    adverse_counts,
    primary_instrument,
    summarise_client,
)

START = date(2026, 3, 2)
LBP = {
    "baseline": ["nprs", "rmdq", "psfs", "startback"],
    "every_visit": ["nprs"],
    "periodic": ["rmdq"],
}


def plan(pk=1, condition="chronic_lbp", created=START, closed=False, measures=None):
    return PlanFacts(pk, condition, created, closed, LBP if measures is None else measures)


def weekly(count=6, plan_id=1, first=START, adverse=()):
    return [
        SessionFacts(plan_id, first + timedelta(weeks=n), ("", n), adverse if n == 0 else ())
        for n in range(count)
    ]


def score(instrument, day, value, subscores=None, band=""):
    at = datetime.combine(day, datetime.min.time())
    return ScoreFacts(instrument, day, (at, 0), value, subscores or {}, band)


def rmdq_on_sessions(values, first=START):
    """RMDQ scores taken on the day of sessions 1, 2, … (None: not taken)."""
    return [
        score("rmdq", first + timedelta(weeks=n), v) for n, v in enumerate(values) if v is not None
    ]


def primary(summaries, instrument="rmdq"):
    (course,) = summaries
    return next(m for m in course.measures if m.instrument == instrument and m.scale == "")


def test_the_primary_measure_is_the_first_change_measure_of_the_schedule():
    assert primary_instrument(LBP) == "rmdq"
    # STarT Back is a screening tool and PGIC a rating of change: neither can be primary.
    assert primary_instrument({"periodic": ["startback", "pgic"], "baseline": ["ndi"]}) == "ndi"
    assert primary_instrument({}) is None


def test_lower_is_better_the_first_meaningful_drop_is_the_event():
    # RMDQ 14 at session 1 (baseline); 12 at session 2 (2 points, 14%: not meaningful);
    # 9 at session 4 (5 points: the RMDQ MIC): improvement seen by session 4.
    found = primary(summarise_client([plan()], weekly(), rmdq_on_sessions([14, 12, None, 9]), []))
    assert (found.baseline, found.followups, found.event, found.time) == (14, 2, True, 4)
    assert (found.final, found.improvement, found.final_status) == (9, 5, "improved")


def test_higher_is_better_a_rise_is_the_improvement():
    measures = {"baseline": ["psfs"], "periodic": ["psfs"], "every_visit": []}
    scores = [score("psfs", START, 3), score("psfs", START + timedelta(weeks=2), 6)]
    found = primary(summarise_client([plan(measures=measures)], weekly(), scores, []), "psfs")
    assert (found.event, found.time, found.improvement, found.final_status) == (
        True,
        3,
        3,
        "improved",
    )


def test_higher_is_better_a_fall_is_worse_not_improved():
    measures = {"baseline": ["psfs"], "periodic": ["psfs"], "every_visit": []}
    scores = [score("psfs", START, 6), score("psfs", START + timedelta(weeks=2), 3)]
    found = primary(summarise_client([plan(measures=measures)], weekly(), scores, []), "psfs")
    assert (found.event, found.final_status, found.improvement) == (False, "worse", -3)


def test_without_improvement_it_is_censored_at_the_last_score():
    # Baseline 14, then 13 at session 3 and 12 at session 5: never meaningful. The course has 6
    # sessions, but we only know there was no improvement up to session 5.
    found = primary(
        summarise_client([plan()], weekly(6), rmdq_on_sessions([14, None, 13, None, 12]), [])
    )
    assert (found.event, found.time, found.followups) == (False, 5, 2)


def test_a_course_with_no_follow_up_is_censored_at_zero():
    found = primary(summarise_client([plan()], weekly(6), rmdq_on_sessions([14]), []))
    assert (found.baseline, found.followups, found.event, found.time) == (14, 0, False, 0)
    assert found.final is None and found.final_status == ""


def test_a_course_without_a_baseline_reads_no_change():
    # The only RMDQ is at session 3: there is nothing to compare it with.
    found = primary(summarise_client([plan()], weekly(6), rmdq_on_sessions([None, None, 9]), []))
    assert (found.baseline, found.followups, found.event) == (None, 0, False)


def test_the_primary_measure_is_listed_even_when_never_taken():
    found = primary(summarise_client([plan()], weekly(3), [], []))
    assert found.is_primary and found.baseline is None


def test_the_baseline_is_the_last_score_before_treatment_within_30_days():
    scores = [
        score("rmdq", START - timedelta(days=40), 20),  # too early: a previous episode
        score("rmdq", START - timedelta(days=10), 16),
        score("rmdq", START - timedelta(days=3), 15),  # the closest before treatment
        score("rmdq", START + timedelta(weeks=3), 10),
    ]
    found = primary(summarise_client([plan()], weekly(6), scores, []))
    assert (found.baseline, found.event, found.time) == (15, True, 4)


def test_sessions_on_the_follow_up_day_count_and_later_ones_do_not():
    # Two sessions on the same day as the follow-up count; the course's later sessions do not.
    days = [START, START + timedelta(days=3), START + timedelta(days=7), START + timedelta(days=7)]
    sessions = [SessionFacts(1, d, ("", i)) for i, d in enumerate(days)] + weekly(
        count=3, first=START + timedelta(days=14)
    )
    scores = [score("rmdq", START, 14), score("rmdq", START + timedelta(days=7), 8)]
    found = primary(summarise_client([plan()], sessions, scores, []))
    assert found.time == 4


def test_a_closed_course_ends_at_its_discharge_and_later_scores_do_not_count():
    discharged = START + timedelta(weeks=5, days=1)
    scores = rmdq_on_sessions([14, None, 13]) + [score("rmdq", discharged + timedelta(days=30), 3)]
    (course,) = summarise_client([plan(closed=True)], weekly(6), scores, [discharged])
    assert course.ended_on == discharged and course.closed
    found = primary([course])
    assert (found.event, found.final) == (False, 13)


def test_the_next_course_for_the_condition_bounds_the_last_one():
    later = START + timedelta(weeks=20)
    plans = [plan(1), plan(2, created=later)]
    sessions = weekly(4) + weekly(4, plan_id=2, first=later)
    scores = rmdq_on_sessions([14, 13]) + rmdq_on_sessions([18, None, 8], first=later)
    first, second = summarise_client(plans, sessions, scores, [])
    assert first.first_of_condition and not second.first_of_condition
    one = next(m for m in first.measures if m.instrument == "rmdq")
    two = next(m for m in second.measures if m.instrument == "rmdq")
    assert (one.final, one.event) == (13, False)  # the second course's scores are not its own
    assert (two.baseline, two.event, two.time) == (18, True, 3)


def test_a_course_starts_at_its_first_visit_when_the_plan_was_entered_later():
    (course,) = summarise_client([plan(created=START + timedelta(weeks=3))], weekly(6), [], [])
    assert course.started_on == START
    assert course.sessions == 6
    assert course.last_activity_on == START + timedelta(weeks=5)


def test_a_measure_without_a_total_improves_when_a_subscale_does_and_none_worsens():
    measures = {"baseline": ["zcq"], "periodic": ["zcq"], "every_visit": []}
    later = START + timedelta(weeks=3)
    scores = [
        score("zcq", START, None, {"symptom_severity": 3.5, "physical_function": 2.8}),
        score("zcq", later, None, {"symptom_severity": 2.2, "physical_function": 2.7}),
    ]
    (course,) = summarise_client(
        [plan(condition="lss_with_nc", measures=measures)], weekly(), scores, []
    )
    rows = {m.scale: m for m in course.measures if m.instrument == "zcq"}
    assert set(rows) == {"", "symptom_severity", "physical_function"}
    assert (rows[""].event, rows[""].time, rows[""].final_status) == (True, 4, "improved")
    assert rows["symptom_severity"].improvement == 3.5 - 2.2
    assert rows[""].improvement is None  # no total: the mean change is per subscale


def test_baseline_bands_use_published_bands_or_thirds_of_the_scale():
    nprs = {"baseline": ["nprs"], "periodic": [], "every_visit": ["nprs"]}
    scores = [score("nprs", START, 7, band="severe"), score("nprs", START + timedelta(weeks=1), 4)]
    found = primary(summarise_client([plan(measures=nprs)], weekly(), scores, []), "nprs")
    assert (found.band, found.band_order) == ("severe", 4)
    rmdq = primary(summarise_client([plan()], weekly(), rmdq_on_sessions([17, 10]), []))
    assert rmdq.band == "upper third (16 or more)" and rmdq.band_order == 3


def test_every_change_measure_in_the_course_is_summarised_but_one_is_primary():
    scores = rmdq_on_sessions([14, 8]) + [score("nprs", START, 6), score("pgic", START, 2)]
    (course,) = summarise_client([plan()], weekly(), scores, [])
    assert {(m.instrument, m.is_primary) for m in course.measures} == {
        ("rmdq", True),
        ("nprs", False),
    }


def test_adverse_effects_are_counted_by_type_and_banded_severity():
    rows = [
        {"kind": "soreness", "severity": 2},
        {"kind": "soreness", "severity": 5},
        {"kind": "soreness", "severity": 3},
        {"kind": "bruising"},
    ]
    counts = adverse_counts([SessionFacts(1, START, ("", 0), rows)])
    assert counts == {
        ("soreness", "mild"): 2,
        ("soreness", "moderate"): 1,
        ("bruising", "not rated"): 1,
    }


def test_visits_of_another_plan_are_not_this_courses_sessions():
    sessions = weekly(3) + weekly(5, plan_id=2)
    (course,) = summarise_client([plan(1)], sessions, [], [])
    assert course.sessions == 3
