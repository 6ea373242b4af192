"""Booking a follow-up from the portal: only when the clinic allows it, free times of the types
bookable online with the client's own therapists within the window and notice, through
Appointment.book (a lost race is a clear message and fresh times), never while the client's
safety asks them to talk to the clinic first; logged with the client as actor, confirmed by an
email without health data, and shown on the calendar as booked online."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from kneadwell.appointments.models import Appointment, AppointmentType, ClinicCalendar
from kneadwell.appointments.tests.helpers import MONDAY, at, book, set_up_calendar
from kneadwell.audit.models import AccessLogEntry, Action, Channel
from kneadwell.conftest import api_as, logged_in
from kneadwell.portal import booking
from kneadwell.portal.tests.conftest import portal_browser
from kneadwell.screening.enforce import record_screening

pytestmark = pytest.mark.django_db
BOOK = reverse("portal:book")
FRIDAY = MONDAY - timedelta(days=3)


@pytest.fixture(autouse=True)
def friday_morning():
    with time_machine.travel(at(FRIDAY, 8), tick=True):
        yield


@pytest.fixture
def types(clinic, therapist, colleague):
    initial, follow_up = set_up_calendar(clinic, therapist, colleague)
    follow_up.bookable_online = True
    follow_up.save()
    ClinicCalendar.objects.filter(clinic=clinic).update(
        clients_may_book=True, booking_days_ahead=14, booking_notice_hours=24
    )
    return initial, follow_up


@pytest.fixture
def screened(account, therapist):
    record_screening(account.client, {"conditions": ["chronic_lbp"]}, "intake", therapist)
    return account


def values(page: str) -> list[str]:
    import re

    return re.findall(r'<option value="([0-9-]+)"', page)


def test_without_the_clinics_setting_there_is_nothing_to_book(screened, types, clinic):
    ClinicCalendar.objects.filter(clinic=clinic).update(clients_may_book=False)
    browser = portal_browser(screened)
    assert "Book a follow-up" not in browser.get(reverse("portal:care")).content.decode()
    page = browser.get(BOOK).content.decode()
    assert booking.NOT_OFFERED in page and "<select" not in page
    assert booking.week(screened.client).days == []


def test_it_offers_free_times_of_bookable_types_with_the_clients_therapist(
    screened, types, therapist, colleague, other_account
):
    client = screened.client
    book(other_account.client, therapist, types[1], at(MONDAY, 10))  # Tara busy 10:00-10:45
    week = booking.week(client)
    offered = [c for d in week.days for c in d.choices]
    assert offered and all("Follow-up with Tara" in c.label for c in offered)  # not Colin's
    assert "Initial assessment" not in str(offered)
    days = [d.day for d in week.days]
    # The 24 hours' notice from Friday 08:00 leaves Saturday and Sunday (not worked) then Monday.
    assert days[0] == MONDAY and len(days) == 5
    monday = [c.label[:5] for c in week.days[0].choices]
    assert monday[0] == "09:00" and "10:00" not in monday and "10:30" not in monday
    assert "11:00" in monday and "12:30" not in monday  # the break
    assert week.later == week.first + timedelta(days=7) and week.earlier is None
    # The window closes 14 days ahead.
    last = booking.week(client, MONDAY + timedelta(days=60))
    assert last.later is None
    assert max(d.day for d in last.days) <= FRIDAY + timedelta(days=14)


def test_booking_a_time_books_it_logs_it_emails_and_shows_it_on_the_calendar(
    screened, types, therapist, desk
):
    client = screened.client
    browser = portal_browser(screened)
    page = browser.get(BOOK).content.decode()
    choice = values(page)[0]
    before = AccessLogEntry.objects.count()
    mail.outbox.clear()
    response = browser.post(BOOK, {"slot": choice})
    assert response.status_code == 302 and response["Location"] == reverse("portal:care")
    appointment = Appointment.objects.get(client=client)
    assert appointment.booked_online and appointment.booked_by is None
    assert appointment.therapist == therapist and appointment.appointment_type == types[1]
    assert appointment.starts_at == at(MONDAY, 9) and appointment.reminder_due_at is not None
    entries = AccessLogEntry.objects.order_by("id")[before:]
    created = [e for e in entries if e.action == Action.CREATE]
    assert len(created) == 1 and created[0].channel == Channel.PORTAL
    assert created[0].user_id is None and created[0].client_id == client.pk
    (message,) = mail.outbox
    assert message.to == [client.email] and "Monday 1 March 2027, 09:00" in message.body
    for health in ("Follow-up", "back", "chronic", "pain", f"/{client.pk}", f"/{appointment.pk}"):
        assert health not in message.body and health not in message.subject
    day = logged_in(desk).get(reverse("appointments:day") + "?date=2027-03-01").content.decode()
    assert "Booked online" in day
    detail = logged_in(desk).get(appointment.get_absolute_url()).content.decode()
    assert "online by the client" in detail
    care = browser.get(reverse("portal:care")).content.decode()
    assert "Monday 1 March, 09:00: Follow-up with Tara" in care
    api = api_as(desk)("get", f"/api/v1/appointments/{appointment.pk}")
    assert api.status_code == 200 and api.json()["booked_online"] is True


def test_a_time_taken_meanwhile_gets_a_clear_message_and_fresh_times(
    screened, types, therapist, other_account
):
    browser = portal_browser(screened)
    choice = values(browser.get(BOOK).content.decode())[0]
    book(other_account.client, therapist, types[1], at(MONDAY, 9))  # someone was quicker
    response = browser.post(BOOK, {"slot": choice})
    page = response.content.decode()
    assert response.status_code == 409 and booking.TAKEN in page
    assert choice not in values(page) and values(page)
    assert not Appointment.objects.filter(client=screened.client).exists()


def test_a_lost_race_inside_book_is_the_same_clear_message(screened, types, therapist, monkeypatch):
    # Both saw the time free; the other booking lands between the check and the save.
    from kneadwell.appointments.models import Conflict

    def taken(**fields):
        raise Conflict("Tara already has an appointment at this time.", code="starts_at")

    choice = booking.week(screened.client).days[0].choices[0].value
    monkeypatch.setattr(Appointment, "book", taken)
    with pytest.raises(Conflict) as problem:
        booking.book(screened.client, choice)
    assert problem.value.messages == [booking.TAKEN]


@pytest.mark.parametrize(
    "tamper",
    ["not-a-slot", "1-2-99999999999999999", "{initial}-{tara}-{nine}", "{follow}-{colin}-{nine}",
     "{follow}-{tara}-{nine_oh_five}", "{follow}-{tara}-{too_soon}"],
)  # fmt: skip
def test_a_time_not_offered_is_refused(tamper, screened, types, therapist, colleague):
    initial, follow_up = types
    value = tamper.format(
        initial=initial.pk,
        follow=follow_up.pk,
        tara=therapist.pk,
        colin=colleague.pk,
        nine=int(at(MONDAY, 9).timestamp()),
        nine_oh_five=int(at(MONDAY, 9, 5).timestamp()),
        too_soon=int(at(FRIDAY, 14).timestamp()),
    )
    response = portal_browser(screened).post(BOOK, {"slot": value})
    assert response.status_code == 409 and booking.TAKEN in response.content.decode()
    assert not Appointment.objects.exists()


def test_another_clinics_type_is_never_offered(screened, types, outsider):
    AppointmentType.objects.create(
        clinic=outsider.membership.clinic, name="Elsewhere", minutes=30, bookable_online=True
    )
    assert "Elsewhere" not in str(booking.week(screened.client))


def test_a_client_not_yet_screened_books_with_the_clinic(account, types):
    page = portal_browser(account).get(BOOK).content.decode()
    assert booking.FIRST_VISIT in page and "<select" not in page


@pytest.mark.parametrize(
    "red_flags",
    [
        {"suspected_dvt": True},  # blocks treatment
        {"cancer_history": True, "unexplained_weight_loss": True},  # urgent
    ],
)
def test_a_red_flag_not_cleared_asks_the_client_to_contact_the_clinic(
    red_flags, account, types, therapist
):
    screening = record_screening(
        account.client, {"conditions": ["chronic_lbp"], "red_flags": red_flags}, "intake", therapist
    )
    assert {f.tier for f in screening.get_findings()} & {"emergency", "urgent"}
    browser = portal_browser(account)
    page = browser.get(BOOK).content.decode()
    assert booking.TALK_FIRST in page and "<select" not in page
    value = f"{types[1].pk}-{therapist.pk}-{int(at(MONDAY, 9).timestamp())}"
    browser.post(BOOK, {"slot": value})
    assert not Appointment.objects.exists()
    assert "Book a follow-up" not in browser.get(reverse("portal:care")).content.decode()


def test_the_owner_turns_online_booking_on_in_the_calendar_settings(owner, types, clinic):
    ClinicCalendar.objects.filter(clinic=clinic).update(clients_may_book=False)
    data = {
        "time_zone": "Europe/London",
        "address": "1 Willow Lane",
        "reminder_hours": "24",
        "cancellation_hours": "24",
        "clients_may_book": "on",
        "booking_days_ahead": "500",
        "booking_notice_hours": "2",
    }
    response = logged_in(owner).post(reverse("appointments:setup"), data)
    assert response.status_code == 200 and "180" in response.content.decode()
    assert 'value="1 Willow Lane"' in response.content.decode() or "1 Willow Lane" in (
        response.content.decode()
    )
    data["booking_days_ahead"] = "21"
    logged_in(owner).post(reverse("appointments:setup"), data)
    calendar = ClinicCalendar.of(clinic.pk)
    assert calendar.clients_may_book and calendar.booking_days_ahead == 21
    assert calendar.booking_notice_hours == 2


def test_a_second_press_never_books_the_client_twice_at_once(screened, types, therapist, colleague):
    # Colin treats the client too, so both are offered; a double press, or a stale page sent
    # again, must not give the client two visits at the same time with two therapists.
    screened.client.therapists.add(colleague)
    browser = portal_browser(screened)
    page = browser.get(BOOK).content.decode()
    nine = [v for v in values(page) if v.endswith(str(int(at(MONDAY, 9).timestamp())))]
    assert len(nine) == 2  # Tara and Colin
    assert browser.post(BOOK, {"slot": nine[0]}).status_code == 302
    response = browser.post(BOOK, {"slot": nine[1]})
    assert response.status_code == 302 and response["Location"] == reverse("portal:care")
    assert Appointment.objects.filter(client=screened.client).count() == 1
    assert not [v for v in values(browser.get(BOOK).content.decode()) if v in nine]
    with pytest.raises(Exception, match="already have a visit"):
        Appointment.book_online(
            client=screened.client, therapist=colleague, appointment_type=types[1],
            starts_at=at(MONDAY, 9, 30),
        )  # fmt: skip


def test_blank_booking_settings_are_named_and_what_was_typed_kept(owner, types):
    data = {
        "time_zone": "Europe/London",
        "address": "1 Willow Lane",
        "reminder_hours": "24",
        "cancellation_hours": "24",
        "clients_may_book": "on",
        "booking_days_ahead": "",
        "booking_notice_hours": "lots",
    }
    response = logged_in(owner).post(reverse("appointments:setup"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Fill this in." in page and "Enter a whole number, for example 12." in page
    assert 'value="lots"' in page and "1 Willow Lane" in page
    assert ClinicCalendar.of(owner.membership.clinic_id).booking_days_ahead == 14  # unsaved


def test_the_same_time_sent_again_says_the_client_has_it_booked(screened, types, therapist):
    # A stale page (or the back button) sends the time the client has just booked again.
    browser = portal_browser(screened)
    choice = values(browser.get(BOOK).content.decode())[0]
    assert browser.post(BOOK, {"slot": choice}).status_code == 302
    mail.outbox.clear()
    response = browser.post(BOOK, {"slot": choice}, follow=True)
    page = response.content.decode()
    assert response.status_code == 200 and booking.TAKEN not in page
    assert "You already have this time booked: Monday 1 March at 09:00, with Tara" in page
    assert "Monday 1 March, 09:00: Follow-up with Tara" in page  # the visit, on My care
    assert Appointment.objects.filter(client=screened.client).count() == 1
    assert mail.outbox == []


def test_no_more_times_are_offered_on_a_day_the_client_has_a_visit(screened, types, therapist):
    book(screened.client, therapist, types[1], at(MONDAY, 15))
    days = [d.day for d in booking.week(screened.client).days]
    assert days and MONDAY not in days and MONDAY + timedelta(days=1) in days
    page = portal_browser(screened).get(BOOK).content.decode()
    eleven = str(int(at(MONDAY, 11).timestamp()))
    assert values(page) and not [v for v in values(page) if v.endswith(eleven)]
