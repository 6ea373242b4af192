import pytest

from kneadwell.appointments.tests.helpers import MONDAY, at, book, set_up_calendar


@pytest.fixture
def types(clinic, owner, therapist, colleague):
    """(initial assessment 60, follow-up 45), with weekday hours 09-17 for both therapists."""
    return set_up_calendar(clinic, therapist, colleague, owner)


@pytest.fixture
def appointment(types, client_record, therapist, desk):
    return book(client_record, therapist, types[1], at(MONDAY, 10), by=desk)
