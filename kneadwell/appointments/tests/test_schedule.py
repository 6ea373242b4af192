"""The calendar's arithmetic, without a database."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kneadwell.appointments import schedule
from kneadwell.appointments.schedule import DayHours

LONDON = ZoneInfo("Europe/London")
WEEK = {d: DayHours(time(9), time(17), time(12, 30), time(13)) for d in range(5)}
MONDAY = date(2027, 3, 1)


def at(day, h, m=0):
    return datetime.combine(day, time(h, m), tzinfo=LONDON)


def test_it_accepts_a_time_within_hours():
    assert schedule.outside_hours(WEEK, [], LONDON, at(MONDAY, 9), at(MONDAY, 10)) is None


def test_it_names_the_hours_when_a_time_runs_into_the_break():
    problem = schedule.outside_hours(WEEK, [], LONDON, at(MONDAY, 12), at(MONDAY, 13), "Tara")
    assert problem == "This is outside Tara's hours on Mondays (09:00-17:00, break 12:30-13:00)."


def test_it_refuses_a_day_off_and_time_off():
    sunday = MONDAY - timedelta(days=1)
    assert "does not work on Sundays" in schedule.outside_hours(
        WEEK, [], LONDON, at(sunday, 10), at(sunday, 11)
    )
    away = [(MONDAY, MONDAY + timedelta(days=4))]
    assert "is away on Monday 1 March" in schedule.outside_hours(
        WEEK, away, LONDON, at(MONDAY, 10), at(MONDAY, 11)
    )


def test_a_weekly_series_keeps_its_wall_clock_time_across_the_march_change():
    # The UK's clocks go forward on Sunday 28 March 2027.
    starts = schedule.series_starts(date(2027, 3, 16), [1], time(10), 3, LONDON)
    assert [s.strftime("%Y-%m-%d %H:%M") for s in starts] == [
        "2027-03-16 10:00",
        "2027-03-23 10:00",
        "2027-03-30 10:00",
    ]
    utc = [s.astimezone(ZoneInfo("UTC")).hour for s in starts]
    assert utc == [10, 10, 9]


def test_a_clinic_day_across_the_change_has_23_hours():
    starts, ends = schedule.day_span(date(2027, 3, 28), LONDON)
    utc = ZoneInfo("UTC")
    assert ends.astimezone(utc) - starts.astimezone(utc) == timedelta(hours=23)


def test_free_slots_skip_the_break_and_booked_times():
    busy = [(at(MONDAY, 10), at(MONDAY, 10, 45))]
    slots = schedule.free_slots(WEEK, [], busy, LONDON, MONDAY, MONDAY, 60, step=30)
    starts = [s.strftime("%H:%M") for s, _ in slots]
    assert starts[:3] == ["09:00", "11:00", "11:30"]
    assert "12:00" not in starts and "13:00" in starts and starts[-1] == "16:00"
    assert "09:30" not in starts  # 09:30-10:30 would clash


@settings(deadline=None, max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.tuples(st.integers(0, 35), st.integers(1, 8)), max_size=6),
    st.sampled_from([15, 30, 45, 60, 90]),
)
def test_no_free_slot_ever_overlaps_a_busy_time_or_leaves_the_hours(busy_raw, minutes):
    nine = at(MONDAY, 9)
    busy = [
        (nine + timedelta(minutes=15 * a), nine + timedelta(minutes=15 * (a + b)))
        for a, b in busy_raw
    ]
    for start, end in schedule.free_slots(WEEK, [], busy, LONDON, MONDAY, MONDAY, minutes):
        assert end - start == timedelta(minutes=minutes)
        assert all(not (a < end and b > start) for a, b in busy)
        assert schedule.outside_hours(WEEK, [], LONDON, start, end) is None


def test_the_reassessment_point_falls_every_n_sessions_counting_those_already_held():
    days = [MONDAY + timedelta(weeks=i) for i in range(8)]
    marks = schedule.reassessment_marks(days, already=2, after_visits=4, week_mark=None)
    assert [i for i, m in enumerate(marks) if m] == [1, 5]


def test_the_week_limit_marks_the_first_appointment_on_or_after_it():
    days = [MONDAY + timedelta(weeks=i) for i in range(6)]
    marks = schedule.reassessment_marks(
        days, already=0, after_visits=None, week_mark=MONDAY + timedelta(days=10), after_weeks=2
    )
    assert [i for i, m in enumerate(marks) if m] == [2, 4]


def test_initials_show_nothing_more_than_two_letters():
    assert schedule.initials("Ada Augusta", "Lovelace") == "A. L."
