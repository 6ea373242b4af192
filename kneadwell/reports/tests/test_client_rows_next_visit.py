"""The client list's next-visit column: the next booked or arrived appointment, as a date in the
clinic's zone, from one query for the page."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kneadwell.appointments.models import ClinicCalendar, Status
from kneadwell.appointments.tests.helpers import MONDAY, at, book, set_up_calendar
from kneadwell.conftest import logged_in, make_client
from kneadwell.reports.client_rows import next_visits


def _cell(page: str, name: str) -> str:
    row = page.split(name)[1].split("</tr>")[0]
    return re.findall(r"<td[^>]*>(.*?)</td>", "<td>" + row)[4]


def test_the_list_shows_the_soonest_open_appointment(clinic, therapist, client_record):
    _, follow_up = set_up_calendar(clinic, therapist)
    later = book(client_record, therapist, follow_up, at(MONDAY + timedelta(days=7), 10))
    sooner = book(client_record, therapist, follow_up, at(MONDAY + timedelta(days=2), 10))
    book(client_record, therapist, follow_up, at(MONDAY + timedelta(days=1), 10)).cancel(
        reason="Unwell"
    )
    page = logged_in(therapist).get(reverse("clients:list")).content.decode()
    assert "Next visit" in page
    assert _cell(page, "Lovelace, Ada") == f"{MONDAY + timedelta(days=2):%Y-%m-%d}"
    sooner.cancel(reason="Away")
    page = logged_in(therapist).get(reverse("clients:list")).content.decode()
    assert _cell(page, "Lovelace, Ada") == f"{later.starts_at.date():%Y-%m-%d}"


def test_past_completed_and_no_show_appointments_are_not_next(clinic, therapist, client_record):
    _, follow_up = set_up_calendar(clinic, therapist)
    gone = book(client_record, therapist, follow_up, at(MONDAY, 10))
    gone.mark(Status.NO_SHOW)
    assert next_visits([client_record.pk]) == {}
    booked = book(client_record, therapist, follow_up, at(MONDAY, 14))
    assert next_visits([client_record.pk]) == {client_record.pk: MONDAY}
    # Once its end has passed, it is no longer the next visit.
    assert next_visits([client_record.pk], now=booked.ends_at + timedelta(minutes=1)) == {}


def test_the_date_is_the_clinics_not_utc(clinic, therapist, client_record):
    _, follow_up = set_up_calendar(clinic, therapist)
    # 00:30 on Tuesday in Auckland is 11:30 on Monday in London (and UTC).
    tuesday = MONDAY + timedelta(days=1)
    starts = datetime.combine(tuesday, datetime.min.time(), tzinfo=ZoneInfo("Pacific/Auckland"))
    starts = starts.replace(minute=30)
    book(client_record, therapist, follow_up, starts, outside_hours_reason="Late slot")
    calendar = ClinicCalendar.of(clinic.pk)
    calendar.time_zone = "Pacific/Auckland"
    calendar.save()
    assert next_visits([client_record.pk]) == {client_record.pk: tuesday}
    calendar.time_zone = "Europe/London"
    calendar.save()
    assert next_visits([client_record.pk]) == {client_record.pk: MONDAY}


def test_one_query_for_all_the_clients(clinic, therapist, client_record):
    _, follow_up = set_up_calendar(clinic, therapist)
    others = [make_client(clinic, therapist, given_names=f"C{n}") for n in range(4)]
    for n, other in enumerate([client_record, *others]):
        book(other, therapist, follow_up, at(MONDAY + timedelta(days=n), 10))
    ids = [client_record.pk, *(o.pk for o in others)]
    with CaptureQueriesContext(connection) as queries:
        found = next_visits(ids)
    assert len(queries) == 1
    assert len(found) == 5
    with CaptureQueriesContext(connection) as queries:
        assert next_visits([]) == {}
    assert len(queries) == 0


def test_another_clinics_appointments_do_not_leak(clinic, therapist, outsider, client_record):
    _, follow_up = set_up_calendar(clinic, therapist)
    book(client_record, therapist, follow_up, at(MONDAY, 10))
    page = logged_in(outsider).get(reverse("clients:list")).content.decode()
    assert "Lovelace" not in page
