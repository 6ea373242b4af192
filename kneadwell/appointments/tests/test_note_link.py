"""One action on an appointment opens its visit note; signing the note completes it; the chart
lists past and coming appointments with their notes."""

import time_machine
from django.urls import reverse

from kneadwell.appointments.models import Status
from kneadwell.appointments.tests.helpers import MONDAY, at
from kneadwell.conftest import logged_in
from kneadwell.screening.enforce import record_screening
from kneadwell.visits.models import Visit


def test_the_note_opens_from_the_appointment_and_signing_completes_it(appointment, therapist):
    record_screening(appointment.client, {"conditions": ["chronic_lbp"]}, "intake", therapist)
    with time_machine.travel(at(MONDAY, 10, 5)):
        browser = logged_in(therapist)
        response = browser.post(reverse("visits:from_appointment", args=[appointment.pk]))
        visit = Visit.objects.get()
        assert response["Location"] == reverse("visits:edit", args=[visit.client_id, visit.pk])
        assert visit.appointment == appointment
        assert (visit.visit_date, visit.start_time.hour) == (MONDAY, 10)
        assert visit.duration_minutes == 45
        # Asking again gives the same note.
        browser.post(reverse("visits:from_appointment", args=[appointment.pk]))
        assert Visit.objects.count() == 1
        visit.sign(therapist)
    appointment.refresh_from_db()
    assert appointment.status == Status.COMPLETED


def test_the_chart_lists_coming_and_past_appointments_with_their_notes(appointment, therapist):
    visit = Visit.objects.create(
        clinic_id=appointment.clinic_id,
        client=appointment.client,
        therapist=therapist,
        appointment=appointment,
        visit_date=MONDAY,
    )
    chart = reverse("clients:detail", args=[appointment.client_id])
    with time_machine.travel(at(MONDAY, 8)):
        page = logged_in(therapist).get(chart).content.decode()
    coming = page[page.index("Coming") : page.index("Past")]
    assert "Mon 2027-03-01 10:00" in coming and "Follow-up" in coming
    with time_machine.travel(at(MONDAY, 12)):
        page = logged_in(therapist).get(chart).content.decode()
    past = page[page.index("Past") :]
    assert "Mon 2027-03-01 10:00" in past
    assert reverse("visits:edit", args=[visit.client_id, visit.pk]) in past


def test_front_desk_sees_appointments_on_the_chart_but_no_notes(appointment, therapist, desk):
    Visit.objects.create(
        clinic_id=appointment.clinic_id,
        client=appointment.client,
        therapist=therapist,
        appointment=appointment,
        visit_date=MONDAY,
    )
    with time_machine.travel(at(MONDAY, 12)):
        page = logged_in(desk).get(reverse("clients:detail", args=[appointment.client_id]))
    text = page.content.decode()
    assert "Mon 2027-03-01 10:00" in text and "draft note" not in text
