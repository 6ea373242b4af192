"""The therapist's calendar feed: a revocable secret address, initials and type only."""

import time_machine
from django.test import Client as HttpClient
from django.urls import reverse
from icalendar import Calendar

from kneadwell.appointments.models import CalendarFeed
from kneadwell.appointments.tests.helpers import MONDAY, at
from kneadwell.conftest import logged_in


def test_the_feed_shows_initials_and_type_and_parses_back(appointment, therapist):
    browser = logged_in(therapist)
    browser.post(reverse("appointments:feed"))
    feed = CalendarFeed.objects.get(therapist=therapist)
    page = browser.get(reverse("appointments:feed")).content.decode()
    assert feed.get_absolute_url() in page
    with time_machine.travel(at(MONDAY, 8)):
        response = HttpClient().get(feed.get_absolute_url())
    assert response["Content-Type"].startswith("text/calendar")
    events = list(Calendar.from_ical(response.content).walk("VEVENT"))
    assert len(events) == 1
    event = events[0]
    assert str(event["SUMMARY"]) == "A. L. · Follow-up"
    assert event.decoded("DTSTART") == at(MONDAY, 10)
    assert event.decoded("DTEND") == at(MONDAY, 10, 45)
    body = response.content.decode()
    assert "Lovelace" not in body and "Ada" not in body


def test_a_new_address_revokes_the_old_one_and_turning_off_removes_it(appointment, therapist):
    browser = logged_in(therapist)
    browser.post(reverse("appointments:feed"))
    old = CalendarFeed.objects.get().get_absolute_url()
    browser.post(reverse("appointments:feed"))
    new = CalendarFeed.objects.get().get_absolute_url()
    assert old != new
    assert HttpClient().get(old).status_code == 404
    assert HttpClient().get(new).status_code == 200
    browser.post(reverse("appointments:feed"), {"revoke": "1"})
    assert HttpClient().get(new).status_code == 404


def test_a_deactivated_therapists_feed_stops(appointment, therapist):
    feed = CalendarFeed.renew(therapist)
    therapist.membership.is_active = False
    therapist.membership.save()
    assert HttpClient().get(feed.get_absolute_url()).status_code == 404
