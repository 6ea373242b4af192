"""The calendar at a year's scale (run with `make bench`; excluded from `make test`).

10 therapists with a year of appointments each (6 a working day, about 15,000 in all); the free-
slot search (a week, for each of the 10 therapists, as the availability API runs it) and the
clinic's week and day views, each against the cheapest signed-in page (/library/) of the same
run: the figures in brackets in pytest-benchmark's table are the ratios to it (it is the
fastest). A benchmark, not a timed test: nothing here fails on time.
"""

import random
from datetime import date, time, timedelta

import pytest
from django.urls import reverse

from kneadwell.accounts.models import Clinic, Role
from kneadwell.appointments import agenda, schedule
from kneadwell.appointments.models import Appointment, ClinicCalendar
from kneadwell.appointments.tests.helpers import set_up_calendar
from kneadwell.conftest import logged_in, make_client, make_member

pytestmark = [pytest.mark.bench, pytest.mark.django_db]
WEEK = date(2027, 6, 7)  # a Monday in the middle of the year of appointments


@pytest.fixture(scope="module")
def year(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        clinic = Clinic.objects.create(name="Bench Calendar Clinic")
        owner = make_member(clinic, "owner@bench-calendar.test", Role.OWNER)
        therapists = [
            make_member(clinic, f"t{i}@bench-calendar.test", Role.THERAPIST) for i in range(10)
        ]
        _, kind = set_up_calendar(clinic, *therapists)
        zone = ClinicCalendar.of(clinic.pk).zone
        clients = [make_client(clinic, *therapists, given_names=f"B{i}") for i in range(60)]
        rng = random.Random(14)
        rows = []
        day = date(2027, 1, 4)
        while day < date(2028, 1, 3):
            if day.weekday() < 5:
                for therapist in therapists:
                    for slot in (time(9), time(10), time(11), time(14), time(15), time(16)):
                        starts = schedule.wall_clock(day, slot, zone)
                        rows.append(
                            Appointment(
                                clinic=clinic,
                                client=rng.choice(clients),
                                therapist=therapist,
                                appointment_type=kind,
                                starts_at=starts,
                                ends_at=starts + timedelta(minutes=45),
                            )
                        )
            day += timedelta(days=1)
        Appointment.objects.bulk_create(rows, batch_size=2000)
        assert len(rows) > 10_000
        yield clinic, owner, therapists, kind


def _timed(benchmark, name, call):
    benchmark.extra_info["what"] = name
    return benchmark.pedantic(call, rounds=7, iterations=1, warmup_rounds=1)


def test_bench_floor_page(benchmark, year):
    browser = logged_in(year[1])
    response = _timed(benchmark, "floor /library/ (s)", lambda: browser.get("/library/"))
    assert response.status_code == 200


def test_bench_free_slots_for_10_therapists(benchmark, year):
    clinic, _, therapists, kind = year

    def search():
        return [
            agenda.free_slots(t, kind.minutes, WEEK, WEEK + timedelta(days=6), clinic.pk)
            for t in therapists
        ]

    found = _timed(benchmark, "free slots, 10 therapists, a week (s)", search)
    assert all(found)  # the 12:00, 13:00 and 15:45 gaps


def test_bench_week_view_whole_clinic(benchmark, year):
    browser = logged_in(year[1])
    url = reverse("appointments:week") + f"?date={WEEK:%Y-%m-%d}"
    response = _timed(benchmark, "week page, whole clinic (s)", lambda: browser.get(url))
    assert response.status_code == 200


def test_bench_day_view_whole_clinic(benchmark, year):
    browser = logged_in(year[1])
    url = reverse("appointments:day") + f"?date={WEEK:%Y-%m-%d}"
    response = _timed(benchmark, "day page, whole clinic, with flags (s)", lambda: browser.get(url))
    assert response.status_code == 200
