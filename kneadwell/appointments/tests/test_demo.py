"""The Demo Clinic's calendar: hours, a fortnight around today, and no double booking."""

import pytest
from django.utils import timezone

from kneadwell.accounts.models import User
from kneadwell.appointments import schedule
from kneadwell.appointments.models import Appointment, ClinicCalendar, Status, WorkingHours
from kneadwell.demo.clinic import create_demo


@pytest.fixture
def demo(db):
    return create_demo()


def test_the_demo_has_hours_and_a_fortnight_around_today(demo):
    clinic = demo.clinic
    tess = User.objects.get(email="tess@demo.kneadwell.test")
    zone = ClinicCalendar.of(clinic.pk).zone
    today = timezone.now().astimezone(zone).date()
    assert WorkingHours.objects.filter(therapist=tess).count() == 5
    starts, ends = schedule.day_span(today, zone)
    todays = Appointment.objects.filter(therapist=tess, starts_at__gte=starts, starts_at__lt=ends)
    assert todays.count() >= 5
    appointments = Appointment.objects.filter(clinic=clinic)
    assert appointments.filter(status=Status.NO_SHOW).count() == 1
    assert appointments.filter(status=Status.CANCELLED, cancelled_late=True).count() == 1
    assert appointments.filter(status=Status.COMPLETED).exists()
    planned = appointments.filter(plan__isnull=False, series__isnull=False)
    assert planned.count() == 6 and planned.filter(reassessment_due=True).exists()
    assert min(a.starts_at for a in appointments) < starts < max(a.starts_at for a in appointments)
    # ...and never double-books a therapist.
    rows = list(
        Appointment.objects.holding()
        .order_by("therapist_id", "starts_at")
        .values_list("therapist_id", "starts_at", "ends_at")
    )
    for (t1, _, end), (t2, start, _) in zip(rows, rows[1:]):
        assert t1 != t2 or start >= end
    # Only current clients are booked: not the archived synthetic history, nor the discharged.
    booked = appointments.values_list("client__archived_at", "client__status")
    assert all(archived is None and status != "discharged" for archived, status in booked)
