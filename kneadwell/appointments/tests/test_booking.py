"""Booking, moving, cancelling and no-shows: the rules of one appointment."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from kneadwell.appointments.models import Appointment, Conflict, Room, Status, TimeOff
from kneadwell.appointments.tests.helpers import MONDAY, at, book
from kneadwell.audit.models import AccessLogEntry
from kneadwell.conftest import logged_in, make_client


def test_it_refuses_a_second_booking_of_the_therapist_at_an_overlapping_time(
    appointment, types, clinic, therapist
):
    other = make_client(clinic, therapist, given_names="Grace")
    with pytest.raises(Conflict, match="already has an appointment"):
        book(other, therapist, types[0], at(MONDAY, 10, 30))
    assert Appointment.objects.count() == 1
    # Back to back is fine.
    book(other, therapist, types[0], at(MONDAY, 10, 45))


def test_a_cancelled_appointment_frees_its_time(appointment, types, clinic, therapist, desk):
    appointment.cancel(by=desk, reason="Client called")
    book(appointment.client, therapist, types[1], at(MONDAY, 10))


def test_it_refuses_a_room_taken_by_a_colleague(appointment, types, clinic, colleague):
    room = Room.objects.create(clinic=clinic, name="Room 1")
    Appointment.objects.filter(pk=appointment.pk).update(room=room)
    other = make_client(clinic, colleague, given_names="Grace")
    with pytest.raises(Conflict, match="Room 1 is taken"):
        book(other, colleague, types[1], at(MONDAY, 10), room=room)


def test_it_refuses_outside_hours_unless_an_owner_gives_a_reason(types, client_record, therapist):
    with pytest.raises(Conflict, match="outside Tara's hours on Mondays") as refused:
        book(client_record, therapist, types[1], at(MONDAY, 18))
    assert refused.value.code == "outside_hours"
    TimeOff.objects.create(therapist=therapist, starts_on=MONDAY, ends_on=MONDAY)
    with pytest.raises(Conflict, match="is away on Monday"):
        book(client_record, therapist, types[1], at(MONDAY, 10))
    late = book(
        client_record,
        therapist,
        types[1],
        at(MONDAY, 18),
        outside_hours_reason="Only evening she can come",
    )
    assert late.outside_hours_reason


def test_the_booking_form_says_what_is_wrong_next_to_the_field_and_keeps_the_input(
    appointment, types, client_record, therapist, desk
):
    data = {
        "client": client_record.pk,
        "therapist": therapist.pk,
        "appointment_type": types[1].pk,
        "day": "2027-03-01",
        "at": "10:15",
    }
    response = logged_in(desk).post(reverse("appointments:book"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "already has an appointment at this time" in errors["at"][0]
    assert 'value="10:15"' in response.content.decode()
    assert "outside_hours_reason" not in response.context["form"].fields  # desk: no override


def test_the_owner_books_outside_hours_with_a_reason(types, client_record, therapist, owner):
    data = {
        "client": client_record.pk,
        "therapist": therapist.pk,
        "appointment_type": types[1].pk,
        "day": "2027-03-01",
        "at": "18:00",
    }
    browser = logged_in(owner)
    response = browser.post(reverse("appointments:book"), data)
    assert (
        "To book anyway, give a reason"
        in response.context["form"].errors["outside_hours_reason"][0]
    )
    response = browser.post(reverse("appointments:book"), {**data, "outside_hours_reason": "Late"})
    appointment = Appointment.objects.get()
    assert response.status_code == 302 and appointment.outside_hours_reason == "Late"
    assert appointment.starts_at == at(MONDAY, 18)
    assert appointment.ends_at == at(MONDAY, 18, 45)  # from the type


def test_front_desk_books_for_anyone_and_the_end_can_be_changed(
    types, client_record, therapist, desk
):
    data = {
        "client": client_record.pk,
        "therapist": therapist.pk,
        "appointment_type": types[1].pk,
        "day": "2027-03-01",
        "at": "09:00",
        "minutes": 30,
    }
    response = logged_in(desk).post(reverse("appointments:book"), data)
    appointment = Appointment.objects.get()
    assert response["Location"] == appointment.get_absolute_url()
    assert appointment.minutes == 30 and appointment.booked_by == desk
    assert AccessLogEntry.objects.filter(client_id=client_record.pk, what="appointment").exists()


def test_moving_checks_the_new_time(appointment, types, clinic, therapist, desk):
    other = book(make_client(clinic, therapist), therapist, types[1], at(MONDAY, 14))
    with pytest.raises(Conflict):
        appointment.move(starts_at=at(MONDAY, 14), ends_at=at(MONDAY, 14, 45), by=desk)
    browser = logged_in(desk)
    url = reverse("appointments:move", args=[appointment.pk])
    response = browser.post(url, {"day": "2027-03-02", "at": "11:00", "minutes": 45})
    appointment.refresh_from_db()
    assert response.status_code == 302
    assert appointment.starts_at == at(MONDAY + timedelta(days=1), 11)
    assert other.status == Status.BOOKED


def test_a_cancellation_records_who_when_why_and_whether_it_was_late(appointment, desk):
    with time_machine.travel(at(MONDAY, 8), tick=False):
        response = logged_in(desk).post(
            reverse("appointments:cancel", args=[appointment.pk]), {"reason": "Car broke down"}
        )
    appointment.refresh_from_db()
    assert response.status_code == 302
    assert appointment.status == Status.CANCELLED and appointment.cancelled_by == desk
    assert appointment.cancel_reason == "Car broke down"
    assert appointment.cancelled_at == at(MONDAY, 8)
    assert appointment.cancelled_late is True  # two hours before, the policy is 24


def test_a_cancellation_in_good_time_is_not_late(appointment, desk):
    appointment.cancel(by=desk, reason="Holiday", now=at(MONDAY, 10) - timedelta(days=3))
    assert appointment.cancelled_late is False


def test_a_cancellation_needs_a_reason(appointment, desk):
    response = logged_in(desk).post(reverse("appointments:cancel", args=[appointment.pk]), {})
    assert response.status_code == 422
    assert "Fill this in." in response.content.decode()
    appointment.refresh_from_db()
    assert appointment.status == Status.BOOKED


def test_arrived_and_no_show(appointment, types, therapist, desk):
    browser = logged_in(desk)
    url = reverse("appointments:mark", args=[appointment.pk])
    browser.post(url, {"status": "no_show"})
    appointment.refresh_from_db()
    assert appointment.status == Status.NO_SHOW
    response = browser.post(url, {"status": "arrived"}, follow=True)
    assert "cannot be marked that way" in response.content.decode()
    # A no-show frees the time for someone else.
    book(appointment.client, therapist, types[1], at(MONDAY, 10))


def test_the_calendar_shows_today_for_a_date_it_cannot_show(types, desk):
    browser = logged_in(desk)
    for value in ("0001-01-01", "9999-12-31", "not-a-date"):
        response = browser.get(reverse("appointments:week") + f"?date={value}")
        assert response.status_code == 200
    data = {"day": "9999-12-31", "at": "23:30"}
    response = browser.post(reverse("appointments:book"), data)
    assert "Choose a date between 1900 and 2200." in response.content.decode()


def test_a_colleague_sees_another_therapists_client_as_booked_without_a_link(
    appointment, colleague, therapist
):
    day = f"{reverse('appointments:day')}?date={MONDAY:%Y-%m-%d}"
    theirs = logged_in(colleague).get(day).content.decode()
    assert "Booked" in theirs and appointment.client.display_name not in theirs
    assert appointment.get_absolute_url() not in theirs  # it would answer 404 for them
    own = logged_in(therapist).get(day).content.decode()
    assert appointment.get_absolute_url() in own
