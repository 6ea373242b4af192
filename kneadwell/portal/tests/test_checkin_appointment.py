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


def _screen(client, therapist):
    from kneadwell.screening.enforce import record_screening

    record_screening(client, {"conditions": ["chronic_lbp"]}, "intake", therapist)


def _checked_in(client, visit, when):
    from kneadwell.portal.models import PortalCheckin

    return PortalCheckin.objects.create(client=client, answers={}, visit=visit, at=when)


def test_a_checkin_for_an_old_draft_does_not_hide_todays_appointment(
    client_record, therapist, types
):
    # The gap: the open draft was checked in for, but today's appointment has no note yet, so
    # a check-in now would fill a new note; the home page must say a check-in is due.
    _screen(client_record, therapist)
    old = Visit.objects.create(
        clinic_id=client_record.clinic_id, client=client_record, therapist=therapist,
        visit_date=MONDAY - timedelta(days=7),
    )  # fmt: skip
    _checked_in(client_record, old, at(MONDAY - timedelta(days=7), 8))
    appointment = book(client_record, therapist, types[1], at(MONDAY, 14))
    morning = at(MONDAY, 8)
    assert checkin.target(client_record, morning).appointment == appointment
    assert checkin.pending(client_record, now=morning)
    visit = checkin.visit_for_checkin(client_record, therapist, now=morning)
    assert visit.appointment == appointment and visit != old
    # Once checked in for that note, nothing is due, and the rule chooses that same note.
    _checked_in(client_record, visit, morning)
    assert checkin.chosen_draft(client_record, now=morning) == visit
    assert not checkin.pending(client_record, now=morning)


@pytest.mark.parametrize("arrangement", ["appointment", "draft", "nothing"])
def test_pending_and_the_note_filled_follow_one_rule(arrangement, client_record, therapist, types):
    _screen(client_record, therapist)
    morning = at(MONDAY, 8)
    if arrangement == "appointment":
        book(client_record, therapist, types[1], at(MONDAY, 14))
    elif arrangement == "draft":
        notes.start_visit(client_record, therapist, from_last=False)
    assert checkin.pending(client_record, now=morning)
    visit = checkin.visit_for_checkin(client_record, therapist, now=morning)
    assert checkin.visit_for_checkin(client_record, therapist, now=morning) == visit
    _checked_in(client_record, visit, morning)
    assert not checkin.pending(client_record, now=morning)


def test_a_checkin_today_counts_by_the_clinics_day(client_record, therapist, types):
    # With no appointment and no draft, one check-in a day: the clinic's day, not UTC's.
    from kneadwell.appointments.models import ClinicCalendar

    ClinicCalendar.objects.filter(clinic_id=client_record.clinic_id).update(
        time_zone="America/Toronto"
    )
    _screen(client_record, therapist)
    from datetime import datetime
    from zoneinfo import ZoneInfo

    toronto = ZoneInfo("America/Toronto")
    evening = datetime(2027, 3, 1, 21, 0, tzinfo=toronto)  # 02:00 UTC on 2 March
    visit = checkin.visit_for_checkin(client_record, therapist, now=evening)
    Visit.objects.filter(pk=visit.pk).update(status=VisitStatus.SIGNED, signed_at=evening)
    _checked_in(client_record, visit, evening)
    assert not checkin.pending(client_record, now=evening + timedelta(hours=1))
    assert checkin.pending(client_record, now=datetime(2027, 3, 2, 9, 0, tzinfo=toronto))
