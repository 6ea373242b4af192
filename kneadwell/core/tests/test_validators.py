"""Dates that cannot be true are refused, in words that say what to fix."""

from datetime import date, datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from kneadwell.core.validators import past_date, past_moment

TODAY = "2026-11-23 15:00"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


def _message(call) -> str:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.messages[0]


def test_today_and_the_past_are_accepted():
    assert past_date(date(2026, 11, 23), "the visit date") == date(2026, 11, 23)
    assert past_date(date(1950, 1, 1), "the visit date", born=date(1949, 5, 1))


def test_a_future_date_is_refused_naming_it_and_today():
    text = _message(lambda: past_date(date(2030, 1, 1), "the visit date"))
    assert text == "The visit date cannot be in the future (today is 2026-11-23)."


def test_a_date_before_the_client_was_born_is_refused():
    text = _message(lambda: past_date(date(1960, 3, 1), "the start date", born=date(1965, 12, 10)))
    assert (
        text == "The start date is before the client's date of birth (1965-12-10). Check the year."
    )


def test_a_date_before_1900_is_a_slip_of_the_keyboard():
    text = _message(lambda: past_date(date(1026, 11, 23), "the date of birth"))
    assert text == "The date of birth is before 1900. Check the year."


def test_a_moment_a_few_minutes_ahead_is_a_fast_clock_not_the_future():
    soon = timezone.make_aware(datetime(2026, 11, 23, 15, 4))
    assert past_moment(soon, "the date taken") == soon
    later = timezone.make_aware(datetime(2026, 11, 23, 16, 0))
    assert "cannot be in the future" in _message(lambda: past_moment(later, "the date taken"))


def test_a_moment_before_birth_is_refused():
    then = timezone.make_aware(datetime(1960, 1, 1, 9, 0))
    text = _message(lambda: past_moment(then, "the date taken", born=date(1965, 12, 10)))
    assert "before the client's date of birth" in text
