"""The portal check-in fills the note of the client's next appointment today (the clinic's day),
not just the newest draft."""

from datetime import timedelta

import pytest

from kneadwell.appointments.tests.helpers import MONDAY, at, book, set_up_calendar
from kneadwell.conftest import make_client
from kneadwell.portal import checkin
from kneadwell.visits import notes
from kneadwell.visits.models import Visit, VisitStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def types(clinic, therapist, colleague):
    return set_up_calendar(clinic, therapist, colleague)


def test_the_appointments_draft_wins_over_a_newer_draft(client_record, therapist, types):
    appointment = book(client_record, therapist, types[1], at(MONDAY, 14))
    linked = notes.start_for_appointment(appointment, therapist)
    newer = Visit.objects.create(
        clinic_id=client_record.clinic_id, client=client_record, therapist=therapist,
        visit_date=MONDAY + timedelta(days=3),
    )  # fmt: skip
    assert notes.open_draft(client_record) == newer
    morning = at(MONDAY, 8)
    assert checkin.visit_for_checkin(client_record, therapist, now=morning) == linked
    assert checkin.chosen_draft(client_record, now=morning) == linked


def test_the_next_of_two_appointments_today(client_record, therapist, colleague, types):
    first = book(client_record, therapist, types[1], at(MONDAY, 9))
    second = book(client_record, colleague, types[1], at(MONDAY, 15))
    # After the first has ended, the second's note is chosen (started for it, its therapist's).
    visit = checkin.visit_for_checkin(client_record, therapist, now=at(MONDAY, 11))
    assert visit.appointment == second and visit.therapist == colleague
    assert visit.visit_date == MONDAY and visit.status == VisitStatus.DRAFT
    assert not Visit.objects.filter(appointment=first).exists()
    # Asking again gives the same note.
    assert checkin.visit_for_checkin(client_record, therapist, now=at(MONDAY, 11)) == visit


def test_tomorrows_or_cancelled_appointments_do_not_count(client_record, therapist, types):
    book(client_record, therapist, types[1], at(MONDAY + timedelta(days=1), 9))
    book(client_record, therapist, types[1], at(MONDAY, 15)).cancel(reason="Unwell")
    draft = Visit.objects.create(
        clinic_id=client_record.clinic_id, client=client_record, therapist=therapist,
        visit_date=MONDAY,
    )  # fmt: skip
    assert checkin.next_appointment_today(client_record, now=at(MONDAY, 8)) is None
    assert checkin.visit_for_checkin(client_record, therapist, now=at(MONDAY, 8)) == draft


def test_another_clients_appointment_is_never_chosen(client_record, therapist, types, clinic):
    other = make_client(clinic, therapist, given_names="Grace")
    book(other, therapist, types[1], at(MONDAY, 14))
    assert checkin.next_appointment_today(client_record, now=at(MONDAY, 8)) is None
