"""Keyset pages of the access log, newest first by (time, entry number): "newer" and "older"
from the last entry shown, never a full COUNT or an OFFSET, so the tenth-millionth entry is as
quick to reach as the first.

The pages walk time, not entry number, so that a date filter is a range of the same index the
page walks (clinic, [filter,] time, number): an "until" long ago starts at its bound instead of
skipping every newer entry. Times are stamped before the chain's lock is taken, so entry numbers
and times are only nearly in step; the number only breaks ties between equal times.
"""

from __future__ import annotations

import base64
import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

PAGE_SIZE = 50

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

# An entry's place in the walk: its time and its number.
Position = tuple[datetime, int]


def _micros(at: datetime) -> int:
    return (at - EPOCH) // timedelta(microseconds=1)


def encode_cursor(direction: str, at: datetime, entry_id: int) -> str:
    """An opaque cursor: `o` (older than) or `n` (newer than) the entry at (`at`, `entry_id`)."""
    text = f"{direction}{_micros(at)}.{entry_id}"
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> tuple[str, Position] | None:
    """The cursor's direction and position; None for a missing or garbled one."""
    if not cursor:
        return None
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        micros, entry_id = text[1:].split(".")
        direction, at = text[0], EPOCH + timedelta(microseconds=int(micros))
        entry_id = int(entry_id)
    except (ValueError, IndexError, UnicodeDecodeError, OverflowError):
        return None
    return (direction, (at, entry_id)) if direction in "on" and entry_id > 0 else None


def older_than(entries, at: datetime, entry_id: int):
    """Entries before (at, entry_id) in the walk: a range on time, ties broken by number."""
    return entries.filter(at__lte=at).exclude(at=at, id__gte=entry_id)


def newer_than(entries, at: datetime, entry_id: int):
    """Entries after (at, entry_id) in the walk."""
    return entries.filter(at__gte=at).exclude(at=at, id__lte=entry_id)


@dataclass
class Page:
    entries: list
    newer: str | None
    older: str | None


def keyset_page(entries, cursor: str | None, size: int = PAGE_SIZE) -> Page:
    """One page of `entries` (a queryset), newest first, from the position `cursor` names."""
    position = decode_cursor(cursor)
    if position is not None and position[0] == "n":
        at, entry_id = position[1]
        rows = list(newer_than(entries, at, entry_id).order_by("at", "id")[: size + 1])
        more_newer = len(rows) > size
        rows = rows[:size][::-1]
        newer = encode_cursor("n", rows[0].at, rows[0].id) if more_newer else None
        # Nothing newer: "older" starts at the cursor's own entry.
        last = (rows[-1].at, rows[-1].id) if rows else (at, entry_id + 1)
        return Page(rows, newer, encode_cursor("o", *last))
    if position is not None:
        entries = older_than(entries, *position[1])
    rows = list(entries.order_by("-at", "-id")[: size + 1])
    older = encode_cursor("o", rows[size - 1].at, rows[size - 1].id) if len(rows) > size else None
    rows = rows[:size]
    newer = None
    if position is not None:
        at, entry_id = position[1]
        first = (rows[0].at, rows[0].id) if rows else (at, entry_id - 1)
        newer = encode_cursor("n", *first)
    return Page(rows, newer, older)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    """A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, carriage return
    first) gets a leading apostrophe, which spreadsheets show as text (OWASP's advice)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[Iterable[object]]) -> Iterator[str]:
    """Each row as one CSV line, every cell spreadsheet-safe, produced as it is read."""
    writer = csv.writer(_Echo())
    for row in rows:
        yield writer.writerow([spreadsheet_safe(cell) for cell in row])
