"""The owner's set-up pages: settings, types, rooms, weekly hours and time off."""

from datetime import time

from django.urls import reverse

from kneadwell.appointments.models import (
    AppointmentType,
    ClinicCalendar,
    Room,
    TimeOff,
    WorkingHours,
)
from kneadwell.conftest import logged_in


def test_the_owner_saves_the_clinic_settings(owner, clinic):
    data = {
        "time_zone": "America/Toronto",
        "address": "1 Main St",
        "reminder_hours": 48,
        "cancellation_hours": 12,
        "booking_days_ahead": 28,
        "booking_notice_hours": 24,
    }
    response = logged_in(owner).post(reverse("appointments:setup"), data)
    assert response.status_code == 302
    calendar = ClinicCalendar.objects.get(clinic=clinic)
    assert not calendar.clients_may_book  # off unless the owner ticks it
    assert (calendar.time_zone, calendar.reminder_hours, calendar.cancellation_hours) == (
        "America/Toronto",
        48,
        12,
    )


def test_a_bad_setting_is_named_next_to_its_field_and_the_input_kept(owner):
    data = {
        "time_zone": "Mars/Olympus",
        "address": "1 Main St",
        "reminder_hours": 999,
        "cancellation_hours": 12,
    }
    response = logged_in(owner).post(reverse("appointments:setup"), data)
    errors = response.context["form"].errors
    assert "time_zone" in errors and "reminder_hours" in errors
    assert "1 Main St" in response.content.decode()


def test_types_and_rooms(owner, clinic):
    browser = logged_in(owner)
    bad = browser.post(
        reverse("appointments:type_add"),
        {"name": "Follow-up", "minutes": 2, "colour": "green", "is_active": "on"},
    )
    assert set(bad.context["form"].errors) == {"minutes", "colour"}
    browser.post(
        reverse("appointments:type_add"),
        {"name": "Follow-up", "minutes": 45, "colour": "#336699", "is_active": "on"},
    )
    assert AppointmentType.objects.get(clinic=clinic).minutes == 45
    twin = browser.post(
        reverse("appointments:type_add"), {"name": "Follow-up", "minutes": 30, "colour": "#336699"}
    )
    assert "already has a type with this name" in twin.content.decode()
    browser.post(reverse("appointments:room_add"), {"name": "Room 1", "is_active": "on"})
    assert Room.objects.get(clinic=clinic).name == "Room 1"


def test_weekly_hours_and_time_off(owner, therapist):
    browser = logged_in(owner)
    url = reverse("appointments:hours", args=[therapist.pk])
    wrong = browser.post(url, {"0_starts": "17:00", "0_ends": "09:00"})
    assert "Monday must end after it starts." in wrong.content.decode()
    assert WorkingHours.objects.count() == 0
    browser.post(
        url,
        {
            "0_starts": "09:00",
            "0_ends": "17:00",
            "0_break_starts": "12:30",
            "0_break_ends": "13:00",
            "2_starts": "10:00",
            "2_ends": "14:00",
        },
    )
    hours = {h.weekday: h for h in WorkingHours.objects.filter(therapist=therapist)}
    assert set(hours) == {0, 2} and hours[0].break_starts == time(12, 30)
    browser.post(url, {"2_starts": "10:00", "2_ends": "15:00"})  # Monday dropped
    assert list(WorkingHours.objects.values_list("weekday", "ends")) == [(2, time(15))]
    off = reverse("appointments:time_off_add", args=[therapist.pk])
    backwards = browser.post(off, {"off-starts_on": "2027-03-05", "off-ends_on": "2027-03-01"})
    assert (
        backwards.status_code == 422 and "on or after the first day" in backwards.content.decode()
    )
    browser.post(
        off, {"off-starts_on": "2027-03-01", "off-ends_on": "2027-03-05", "off-note": "Holiday"}
    )
    assert TimeOff.objects.get(therapist=therapist).note == "Holiday"
