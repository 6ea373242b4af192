"""Rules for what people type that hold everywhere: dates that can be true, and plain messages.

Forms call these from their ``clean_<field>`` methods; the API goes through the same forms, and
API-only values can call them directly (they raise Django's ValidationError).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

# Nobody treated or born today was born before this; an earlier year is a typing slip.
EARLIEST = date(1900, 1, 1)
# Nothing the record holds (an appointment booked ahead included) is after this; a later year is
# a typing slip too, and far-off years overflow time-zone arithmetic.
LATEST = date(2100, 12, 31)
# The largest id the database's 64-bit keys hold; a larger one is refused, not sent to it.
MAX_ID = 2**63 - 1
# A moment typed "now" on a device whose clock runs a little fast is still now.
CLOCK_SLACK = timedelta(minutes=5)


def past_date(value: date, what: str, *, born: date | None = None) -> date:
    """`value` if it can be true: not after today, not before 1900, and not before the
    client's date of birth `born`. `what` names the date in the message ("the visit date")."""
    today = timezone.localdate()
    if value > today:
        raise ValidationError(
            f"{_sentence(what)} cannot be in the future (today is {today:%Y-%m-%d}).",
            code="future",
        )
    _not_too_early(value, what, born)
    return value


def past_moment(value: datetime, what: str, *, born: date | None = None) -> datetime:
    """Like `past_date` for a date and time (a questionnaire's "taken on")."""
    if value > timezone.now() + CLOCK_SLACK:
        now = timezone.localtime()
        raise ValidationError(
            f"{_sentence(what)} cannot be in the future (it is now {now:%Y-%m-%d %H:%M}).",
            code="future",
        )
    day = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    _not_too_early(day, what, born)
    return value


def plausible_day(value: date) -> date:
    """`value` if it lies between 1900 and 2100: any date the record may hold, past or future."""
    if value < EARLIEST:
        raise ValidationError(
            f"Dates before {EARLIEST.year} are refused. Check the year.", code="too_early"
        )
    if value > LATEST:
        raise ValidationError(
            f"Dates after {LATEST.year} are refused. Check the year.", code="too_late"
        )
    return value


def _not_too_early(day: date, what: str, born: date | None) -> None:
    if born is not None and day < born:
        raise ValidationError(
            f"{_sentence(what)} is before the client's date of birth ({born:%Y-%m-%d}). "
            "Check the year.",
            code="before_birth",
        )
    if day < EARLIEST:
        raise ValidationError(
            f"{_sentence(what)} is before {EARLIEST.year}. Check the year.", code="too_early"
        )


def _sentence(what: str) -> str:
    return what[:1].upper() + what[1:]
