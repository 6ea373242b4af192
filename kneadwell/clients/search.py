"""Reading what someone typed into "Find a client": a name, a phone number or a date of birth.

Pure functions over plain values. Names and phone numbers are compared through normalised
copies kept on the client (``fold`` and ``phone_key``), so every comparison is a prefix of an
indexed column and never a ``LIKE '%word%'`` across columns.

Dates are read day first (07/03/1961 is 7 March 1961), whatever the browser's language: the
clinic's staff type dates as they say them, and the ISO form (1961-03-07) is always accepted.
"""

from __future__ import annotations

import calendar
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from datetime import date

# At least this many digits make a phone number (a year alone has four, a date six or eight).
PHONE_DIGITS = 7
# Country calling codes are one to three digits long.
COUNTRY_CODE_LENGTHS = (1, 2, 3)
# More words than this cannot be a name; the rest are ignored rather than multiplying the query.
MAX_NAME_WORDS = 6

_DATE_SEPARATORS = r"[/.\-]"
_FULL_DAY_FIRST = re.compile(
    rf"^(\d{{1,2}}){_DATE_SEPARATORS}(\d{{1,2}}){_DATE_SEPARATORS}(\d{{4}})$"
)
_FULL_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_MONTH_YEAR = re.compile(rf"^(\d{{1,2}}){_DATE_SEPARATORS}(\d{{4}})$")
_YEAR_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_YEAR = re.compile(r"^(\d{4})$")
_PHONE = re.compile(r"^\+?[\d\s\-().]+$")


class SearchError(ValueError):
    """Text that looks like a date of birth but is not one; the message says what to type."""


@dataclass(frozen=True)
class NameQuery:
    """Ways to read the words as (given, family) or as one name alone; any may match.

    ``pairs`` holds (given prefix, family prefix); ``whole`` is the folded text, matched as a
    prefix of the family name, the given names or the preferred name.
    """

    whole: str
    pairs: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class PhoneQuery:
    """Reversed-digit prefixes: a number ends with one of them (see ``phone_key``)."""

    keys: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class BirthQuery:
    """Born between ``first`` and ``last``, both included (a day, a month or a year)."""

    first: date
    last: date


Query = NameQuery | PhoneQuery | BirthQuery


def fold(text: str) -> str:
    """Lower case, accents dropped, hyphens as spaces, apostrophes and dots gone, single spaces:
    "  Núñez-O'Brien " becomes "nunez obrien"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = re.sub(r"['’‘`.]", "", plain)
    plain = re.sub(r"[\-‐‑–—_,]", " ", plain)
    return " ".join(plain.split())


def phone_digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


def phone_key(phone: str) -> str:
    """The number's digits, reversed, without a leading trunk 0.

    Reversed so that "the number ends with what was typed" is a prefix match on an index:
    "+44 20 7946 0958" and "020 7946 0958" both end in 2079460958.
    """
    return phone_digits(phone).lstrip("0")[::-1]


def parse(text: str) -> Query | None:
    """What the search text asks for, or None for an empty search.

    Raises SearchError for something shaped like a date that is not one (31/02/1961).
    """
    text = " ".join(text.split())
    if not text:
        return None
    born = parse_birth(text)
    if born is not None:
        return born
    digits = phone_digits(text)
    if _PHONE.match(text) and len(digits) >= PHONE_DIGITS:
        return PhoneQuery(phone_keys(text))
    return parse_name(text)


def parse_birth(text: str) -> BirthQuery | None:
    """A year (1961), a month (03/1961, 1961-03) or a day (1961-03-07, 07/03/1961, day first)."""
    try:
        if m := _YEAR.match(text):
            year = int(m[1])
            return BirthQuery(date(year, 1, 1), date(year, 12, 31)) if year >= 1800 else None
        if m := _YEAR_MONTH.match(text):
            return _month(int(m[1]), int(m[2]))
        if m := _MONTH_YEAR.match(text):
            return _month(int(m[2]), int(m[1]))
        if m := _FULL_ISO.match(text):
            day = date(int(m[1]), int(m[2]), int(m[3]))
            return BirthQuery(day, day)
        if m := _FULL_DAY_FIRST.match(text):
            day = date(int(m[3]), int(m[2]), int(m[1]))
            return BirthQuery(day, day)
    except ValueError:
        raise SearchError(
            f"{text} is not a date. Type a date of birth day first, such as 07/03/1961, "
            "or as 1961-03-07; a month as 03/1961, or a year."
        ) from None
    return None


def _month(year: int, month: int) -> BirthQuery:
    last = calendar.monthrange(year, month)[1]  # ValueError for month 13
    return BirthQuery(date(year, month, 1), date(year, month, last))


def phone_keys(text: str) -> tuple[str, ...]:
    """The reversed-digit prefixes to look for. A number typed with its country code (+44 …)
    also matches one stored without it, so the code's one to three digits may be dropped."""
    digits = phone_digits(text)
    keys = [digits.lstrip("0")[::-1]]
    if text.lstrip().startswith("+"):
        for length in COUNTRY_CODE_LENGTHS:
            rest = digits[length:].lstrip("0")
            if len(rest) >= PHONE_DIGITS:
                keys.append(rest[::-1])
    return tuple(dict.fromkeys(keys))


def parse_name(text: str) -> NameQuery | None:
    """ "Family, Given" as the list shows it, or "Given Family", "Family Given", or a prefix of
    either: each split of the words into a given part and a family part is one reading."""
    if "," in text:
        family, given = (fold(part) for part in text.split(",", 1))
        if not family and not given:
            return None
        if not given:
            return NameQuery(whole="", pairs=(("", family),))
        return NameQuery(whole="", pairs=((given, family),))
    words = fold(text).split()[:MAX_NAME_WORDS]
    if not words:
        return None
    pairs = []
    for cut in range(1, len(words)):
        head, tail = " ".join(words[:cut]), " ".join(words[cut:])
        pairs.append((head, tail))  # Given Family
        pairs.append((tail, head))  # Family Given
    return NameQuery(whole=" ".join(words), pairs=tuple(dict.fromkeys(pairs)))


def prefix_upper_bound(prefix: str) -> str | None:
    """The smallest string above every string that starts with ``prefix`` (in code-point
    order), so that a prefix search can be a range an index serves; None when there is none
    (the prefix ends with the last code point)."""
    last = ord(prefix[-1])
    return None if last == sys.maxunicode else prefix[:-1] + chr(last + 1)
