"""Calendar test helpers: a clinic calendar in Europe/London with two types and weekday hours."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from kneadwell.appointments.models import (
    Appointment,
    AppointmentType,
    ClinicCalendar,
    WorkingHours,
)

LONDON = ZoneInfo("Europe/London")
# A Monday well in the future, so bookings are never in the past.
MONDAY = date(2027, 3, 1)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=LONDON)


def set_up_calendar(clinic, *therapists, address="1 Willow Lane, Exampleton"):
    ClinicCalendar.objects.update_or_create(
        clinic=clinic,
        defaults={
            "time_zone": "Europe/London",
            "address": address,
            "reminder_hours": 24,
            "cancellation_hours": 24,
        },
    )
    initial = AppointmentType.objects.create(clinic=clinic, name="Initial assessment", minutes=60)
    follow_up = AppointmentType.objects.create(clinic=clinic, name="Follow-up", minutes=45)
    for therapist in therapists:
        for weekday in range(5):
            WorkingHours.objects.create(
                therapist=therapist,
                weekday=weekday,
                starts=time(9),
                ends=time(17),
                break_starts=time(12, 30),
                break_ends=time(13),
            )
    return initial, follow_up


def book(client, therapist, kind, starts: datetime, by=None, **extra) -> Appointment:
    return Appointment.book(
        by=by or therapist,
        clinic_id=client.clinic_id,
        client=client,
        therapist=therapist,
        appointment_type=kind,
        starts_at=starts,
        ends_at=starts + timedelta(minutes=kind.minutes),
        **extra,
    )
