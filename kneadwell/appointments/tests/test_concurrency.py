"""Two people book the same therapist at the same moment: exactly one booking is kept.

Real threads on their own database connections (a transactional test database), so the lock
that serialises them is the database's: SQLite's IMMEDIATE transaction, PostgreSQL's row lock.
Run on PostgreSQL with DATABASE_URL=postgres://… (docs/appointments.md)."""

import threading
from datetime import timedelta

import pytest
from django.db import close_old_connections, connection

from kneadwell.accounts.models import Clinic, Role
from kneadwell.appointments.models import Appointment, Conflict, Room
from kneadwell.appointments.tests.helpers import MONDAY, at, set_up_calendar
from kneadwell.conftest import make_client, make_member

pytestmark = pytest.mark.django_db(transaction=True)


def race(n: int, book_one) -> tuple[list, list]:
    """Run book_one(i) in n threads released together; (booked, refused)."""
    start = threading.Barrier(n)
    booked, refused, errors = [], [], []

    def run(i):
        try:
            start.wait()
            booked.append(book_one(i))
        except Conflict as conflict:
            refused.append(conflict)
        except Exception as error:  # anything else fails the test below
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    return booked, refused


@pytest.fixture
def setting():
    clinic = Clinic.objects.create(name="Race Clinic")
    tara = make_member(clinic, "tara@race.test", Role.THERAPIST, first_name="Tara")
    colin = make_member(clinic, "colin@race.test", Role.THERAPIST, first_name="Colin")
    _, follow_up = set_up_calendar(clinic, tara, colin)
    clients = [make_client(clinic, tara, colin, given_names=f"C{i}") for i in range(4)]
    return clinic, tara, colin, follow_up, clients


def test_two_concurrent_bookings_of_one_therapist_keep_exactly_one(setting):
    clinic, tara, _, kind, clients = setting
    starts = at(MONDAY, 10)

    def book_one(i):
        return Appointment.book(
            by=tara, clinic_id=clinic.pk, client=clients[i], therapist=tara,
            appointment_type=kind, starts_at=starts + timedelta(minutes=15 * i),
            ends_at=starts + timedelta(minutes=15 * i + 45),
        )  # fmt: skip

    booked, refused = race(2, book_one)
    assert len(booked) == 1 and len(refused) == 1
    assert Appointment.objects.filter(therapist=tara).count() == 1


def test_two_concurrent_bookings_of_one_room_keep_exactly_one(setting):
    clinic, tara, colin, kind, clients = setting
    room = Room.objects.create(clinic=clinic, name="Room 1")
    therapists = [tara, colin]

    def book_one(i):
        return Appointment.book(
            by=tara, clinic_id=clinic.pk, client=clients[i], therapist=therapists[i],
            appointment_type=kind, room=room, starts_at=at(MONDAY, 11),
            ends_at=at(MONDAY, 11, 45),
        )  # fmt: skip

    booked, refused = race(2, book_one)
    assert len(booked) == 1 and "Room 1 is taken" in refused[0].messages[0]
    assert Appointment.objects.filter(room=room).count() == 1
