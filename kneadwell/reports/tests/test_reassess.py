"""When the reassessment point arrives (visits or weeks, whichever first; never before), which
measure is primary, and what the therapist is offered."""

from datetime import date, datetime, timedelta

import time_machine
from django.utils import timezone

from kneadwell.measures.progress import courses
from kneadwell.measures.tests.helpers import record_series
from kneadwell.reports.reassess import (
    improved,
    options,
    primary_instrument,
    reassessment_point,
    review,
    started_on,
)
from kneadwell.reports.tests.progress_helpers import make_plan, sign_visits

START = date(2026, 10, 1)
RMDQ_12 = {str(n): int(n <= 12) for n in range(1, 25)}


def point(visits, *, today, last_decision=None, after_visits=4, after_weeks=4):
    return reassessment_point(
        visits,
        version_started=START,
        last_decision=last_decision,
        after_visits=after_visits,
        after_weeks=after_weeks,
        today=today,
    )


def weekly(n, first=START):
    return [first + timedelta(weeks=k) for k in range(n)]


def test_it_is_not_due_after_three_of_four_visits():
    found = point([START, date(2026, 10, 3), date(2026, 10, 6)], today=date(2026, 10, 6))
    assert not found.due
    assert found.visits_to_go == 1


def test_it_falls_due_at_the_fourth_signed_visit():
    days = [START, date(2026, 10, 3), date(2026, 10, 6), date(2026, 10, 9)]
    found = point(days, today=date(2026, 10, 9))
    assert found.due and found.due_on == date(2026, 10, 9)


def test_it_falls_due_on_the_week_mark_and_not_the_day_before():
    assert not point(weekly(2), today=date(2026, 10, 28)).due
    found = point(weekly(2), today=date(2026, 10, 29))
    assert found.due and found.due_on == date(2026, 10, 29)


def test_whichever_comes_first_sets_the_date():
    days = [START + timedelta(days=2 * k) for k in range(4)]  # the 4th visit on 7 October
    assert point(days, today=date(2026, 11, 30)).due_on == date(2026, 10, 7)


def test_visits_before_the_version_started_do_not_count():
    days = [date(2026, 9, 20), date(2026, 9, 27), START, date(2026, 10, 8)]
    assert point(days, today=date(2026, 10, 8)).visits_counted == 2


def test_after_a_decision_counting_starts_again():
    days = weekly(6)  # 1 Oct … 5 Nov
    decided = date(2026, 10, 22)  # at the 4th visit
    found = point(days, today=date(2026, 11, 5), last_decision=decided)
    assert found.starts == decided
    assert found.visits_counted == 2  # 29 Oct and 5 Nov; the visit on the decision day is spent
    assert not found.due
    more = days + [date(2026, 11, 9)]
    later = point(more, today=date(2026, 11, 9), last_decision=decided, after_visits=3)
    assert later.due and later.due_on == date(2026, 11, 9)  # the 3rd visit after the decision
    assert point(days, today=date(2026, 11, 19), last_decision=decided).due  # the 4-week mark


def test_a_plan_without_a_point_is_never_due():
    found = point(weekly(12), today=date(2027, 3, 1), after_visits=None, after_weeks=None)
    assert not found.due and not found.is_set


def test_a_version_starts_at_its_first_visit_when_entered_after_the_fact():
    assert started_on(date(2026, 11, 1), [date(2026, 10, 2), date(2026, 10, 9)]) == date(
        2026, 10, 2
    )
    assert started_on(date(2026, 11, 1), []) == date(2026, 11, 1)


def test_the_primary_measure_is_the_first_periodic_then_baseline_measure_with_a_series():
    plan = {"baseline": ["nprs", "rmdq", "psfs"], "every_visit": ["nprs"], "periodic": ["rmdq"]}
    assert primary_instrument(plan, {"rmdq": 2, "nprs": 5}) == "rmdq"
    assert primary_instrument(plan, {"rmdq": 1, "nprs": 5}) == "nprs"
    assert primary_instrument(plan, {"psfs": 3}) == "psfs"
    assert primary_instrument(plan, {"rmdq": 1}) is None


def test_improvement_needs_one_improved_reading_and_none_worse():
    assert improved(["improved"])
    assert not improved(["no_meaningful_change"])
    assert not improved(["improved", "worse"])
    assert not improved([])


def test_without_improvement_it_offers_the_templates_options():
    assert options(False, ["refer_physician", "change_plan", "stop"]) == [
        "refer_physician",
        "change_plan",
        "stop",
    ]
    assert options(True, ["change_plan"]) == ["continue"]


def test_review_fires_at_the_fourth_visit_and_not_before(client_record, therapist):
    with time_machine.travel(datetime(2026, 10, 1, 9, tzinfo=timezone.get_current_timezone())):
        _, version = make_plan(client_record, therapist, after_visits=4, after_weeks=4)
        record_series(client_record, "rmdq", [RMDQ_12, RMDQ_12])
    days = [date(2026, 10, 1), date(2026, 10, 5), date(2026, 10, 8)]
    sign_visits(client_record, therapist, version, days)
    with time_machine.travel(datetime(2026, 10, 12, 12, tzinfo=timezone.get_current_timezone())):
        found = review(
            client_record, courses(client_record.measure_responses.all()), timezone.localdate()
        )
        assert not found.point.due
        sign_visits(client_record, therapist, version, [date(2026, 10, 12)])
        found = review(
            client_record, courses(client_record.measure_responses.all()), timezone.localdate()
        )
        assert found.point.due and found.point.due_on == date(2026, 10, 12)
        assert found.primary.instrument.id == "rmdq"
        assert not found.is_improved  # 12 then 12 on the RMDQ
        assert found.options == ["change_plan", "refer_physician", "stop"]
