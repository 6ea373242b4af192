"""My care's coming appointments (clinic's time, therapist, type) and the client's own
cancellation within the clinic's policy: POST only, logged with the client as actor, never
another client's or another clinic's appointment."""

from datetime import timedelta

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from kneadwell.appointments.models import ClinicCalendar, Status
from kneadwell.appointments.tests.helpers import MONDAY, at, book, set_up_calendar
from kneadwell.audit.models import AccessLogEntry, Action, Channel
from kneadwell.portal import care
from kneadwell.portal.tests.conftest import portal_browser

pytestmark = pytest.mark.django_db
CARE = reverse("portal:care")


CANCEL = reverse("portal:cancel_appointment")


def cancel(browser, appointment, **extra):
    """The confirming press of the two."""
    return browser.post(CANCEL, {"appointment": str(appointment.pk), "confirm": "yes"}, **extra)


@pytest.fixture
def types(clinic, therapist):
    return set_up_calendar(clinic, therapist)


def test_the_page_lists_coming_visits_in_the_clinics_time(account, therapist, types):
    _, follow_up = types
    client = account.client
    book(client, therapist, follow_up, at(MONDAY + timedelta(days=1), 15, 30))
    book(client, therapist, types[0], at(MONDAY, 9))
    book(client, therapist, follow_up, at(MONDAY, 11)).cancel(reason="Unwell")
    found = care.upcoming_appointments(client)
    assert [(a.kind, a.starts_at.hour, a.with_whom) for a in found] == [
        ("Initial assessment", 9, "Tara"),
        ("Follow-up", 15, "Tara"),
    ]
    calendar = ClinicCalendar.of(client.clinic_id)
    calendar.time_zone = "America/New_York"
    calendar.save()
    assert care.upcoming_appointments(client)[0].starts_at.hour == 4  # 09:00 London is 04:00
    page = portal_browser(account).get(CARE).content.decode()
    assert "Your next visits" in page
    assert "Monday 1 March, 04:00: Initial assessment with Tara" in page
    assert "Tuesday 2 March, 10:30: Follow-up with Tara" in page
    assert page.count("Cancel this visit") == 2


def test_the_client_cancels_within_policy_and_it_is_logged(account, therapist, types):
    appointment = book(account.client, therapist, types[1], at(MONDAY, 10))
    browser = portal_browser(account)
    before = AccessLogEntry.objects.count()
    response = cancel(browser, appointment)
    assert response.status_code == 302 and response.url == CARE
    appointment.refresh_from_db()
    assert appointment.status == Status.CANCELLED
    assert appointment.cancelled_by_client and appointment.cancelled_late is False
    assert appointment.cancel_reason == care.CANCEL_REASON
    entries = [
        e for e in AccessLogEntry.objects.order_by("id")[before:] if e.action == Action.UPDATE
    ]
    assert len(entries) == 1
    assert entries[0].channel == Channel.PORTAL and entries[0].user_id is None
    assert entries[0].client_id == account.client.pk
    page = browser.get(CARE).content.decode()
    assert "Your visit on Monday 1 March at 10:00 is cancelled. The clinic can see it." in page
    assert "Your next visits" not in page


def test_too_late_to_cancel_here(account, therapist, types):
    soon = timezone.now() + timedelta(hours=3)
    appointment = book(
        account.client, therapist, types[1], soon, outside_hours_reason="Squeezed in"
    )
    browser = portal_browser(account)
    page = browser.get(CARE).content.decode()
    assert "Follow-up with Tara" in page and "Cancel this visit" not in page
    response = cancel(browser, appointment, follow=True)
    assert "too late to cancel here" in response.content.decode()
    appointment.refresh_from_db()
    assert appointment.status == Status.BOOKED


def test_never_another_clients_or_clinics_appointment(
    account, other_account, elsewhere_account, therapist, outsider, types
):
    theirs = book(other_account.client, therapist, types[1], at(MONDAY, 10))
    set_up_calendar(outsider.membership.clinic, outsider)
    kind = outsider.membership.clinic.appointment_types.first()
    elsewhere = book(elsewhere_account.client, outsider, kind, at(MONDAY, 10))
    browser = portal_browser(account)
    for appointment in (theirs, elsewhere):
        assert cancel(browser, appointment).status_code == 404
        appointment.refresh_from_db()
        assert appointment.status == Status.BOOKED
    for value in ("999999", "", "x1"):
        assert browser.post(CANCEL, {"appointment": value}).status_code == 404


def test_cancel_is_post_only_and_needs_a_signed_in_client(account, therapist, types):
    appointment = book(account.client, therapist, types[1], at(MONDAY, 10))
    assert portal_browser(account).get(CANCEL).status_code == 405
    anonymous = cancel(HttpClient(), appointment)
    assert anonymous.status_code == 302 and "sign-in" in anonymous.url
    appointment.refresh_from_db()
    assert appointment.status == Status.BOOKED


def test_the_form_carries_csrf(account, therapist, types):
    appointment = book(account.client, therapist, types[1], at(MONDAY, 10))
    strict = HttpClient(enforce_csrf_checks=True)
    strict.cookies = portal_browser(account).cookies
    assert cancel(strict, appointment).status_code == 403
    page = strict.get(CARE).content.decode()
    assert 'name="csrfmiddlewaretoken"' in page


def test_the_message_and_the_email_say_which_visit_is_cancelled(account, therapist, types):
    from django.core import mail

    appointment = book(account.client, therapist, types[1], at(MONDAY + timedelta(days=4), 13))
    browser = portal_browser(account)
    mail.outbox.clear()
    page = cancel(browser, appointment, follow=True).content.decode()
    assert "Your visit on Friday 5 March at 13:00 is cancelled" in page
    (message,) = mail.outbox
    assert message.to == [account.client.email]
    assert "Friday 5 March 2027, 13:00" in message.body and "Tara" in message.body
    assert "Follow-up" not in message.body + message.subject  # no health data, not even the type


def test_cancelling_again_says_it_is_already_cancelled(account, therapist, types):
    from django.core import mail

    appointment = book(account.client, therapist, types[1], at(MONDAY, 10))
    browser = portal_browser(account)
    cancel(browser, appointment)
    mail.outbox.clear()
    again = cancel(browser, appointment, follow=True)
    assert again.status_code == 200
    assert "This visit is already cancelled: Monday 1 March at 10:00." in again.content.decode()
    assert mail.outbox == []


def test_a_portal_404_is_the_portals_page(account, other_account, therapist, types):
    theirs = book(other_account.client, therapist, types[1], at(MONDAY, 10))
    theirs.cancel(reason="Unwell")
    browser = portal_browser(account)
    for response in (
        cancel(browser, theirs),
        browser.get(reverse("portal:shared_document", args=[1])),
        browser.get("/portal/no-such-page/"),
    ):
        page = response.content.decode()
        assert response.status_code == 404
        assert "Back to your portal" in page and "Back to the client list" not in page
        assert "Unwell" not in page
    staff = HttpClient().get("/clients/no-such-page/")
    assert staff.status_code == 404 and "Back to your portal" not in staff.content.decode()


def test_the_first_press_asks_which_visit_and_cancels_nothing(account, therapist, types):
    appointment = book(account.client, therapist, types[1], at(MONDAY + timedelta(days=4), 13))
    browser = portal_browser(account)
    asked = browser.post(CANCEL, {"appointment": str(appointment.pk)})
    page = asked.content.decode()
    assert asked.status_code == 200
    assert "Your visit on Friday 5 March at 13:00, with Tara" in page
    assert 'name="confirm" value="yes"' in page and "No, keep it" in page
    appointment.refresh_from_db()
    assert appointment.status == Status.BOOKED
    assert cancel(browser, appointment).status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == Status.CANCELLED
