"""Keyset pages of the access log: "newer" and "older" by entry number, never a full COUNT or an
OFFSET, so the tenth-millionth entry is as quick to reach as the first."""

from __future__ import annotations

import base64
import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

PAGE_SIZE = 50


def encode_cursor(direction: str, entry_id: int) -> str:
    """An opaque cursor: `o` (older than) or `n` (newer than) an entry number."""
    return base64.urlsafe_b64encode(f"{direction}{entry_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> tuple[str, int] | None:
    """The cursor's direction and entry number; None for a missing or garbled one."""
    if not cursor:
        return None
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        direction, entry_id = text[0], int(text[1:])
    except (ValueError, IndexError, UnicodeDecodeError):
        return None
    return (direction, entry_id) if direction in "on" and entry_id > 0 else None


@dataclass
class Page:
    entries: list
    newer: str | None
    older: str | None


def keyset_page(entries, cursor: str | None, size: int = PAGE_SIZE) -> Page:
    """One page of `entries` (a queryset), newest first, from the position `cursor` names."""
    position = decode_cursor(cursor)
    if position is not None and position[0] == "n":
        rows = list(entries.filter(id__gt=position[1]).order_by("id")[: size + 1])
        more_newer = len(rows) > size
        rows = rows[:size][::-1]
        newer = encode_cursor("n", rows[0].id) if more_newer else None
        older = encode_cursor("o", rows[-1].id) if rows else encode_cursor("o", position[1] + 1)
        return Page(rows, newer, older)
    if position is not None:
        entries = entries.filter(id__lt=position[1])
    rows = list(entries.order_by("-id")[: size + 1])
    older = encode_cursor("o", rows[size - 1].id) if len(rows) > size else None
    rows = rows[:size]
    newer = None
    if position is not None:
        newer = encode_cursor("n", rows[0].id) if rows else encode_cursor("n", position[1] - 1)
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
