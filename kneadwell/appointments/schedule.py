"""The calendar's arithmetic as plain functions: working hours and time off, free slots, series
dates in the clinic's zone (wall-clock time kept across daylight-saving changes) and where a
plan's reassessment point falls. No database here."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

# The years the calendar works in; dates outside are refused (and arithmetic cannot overflow).
FIRST_YEAR, LAST_YEAR = 1900, 2200
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


@dataclass(frozen=True)
class DayHours:
    """A therapist's working day: start, end and an optional break (wall-clock times)."""

    starts: time
    ends: time
    break_starts: time | None = None
    break_ends: time | None = None

    def windows(self, day: date, zone: ZoneInfo) -> list[tuple[datetime, datetime]]:
        """The working stretches of `day` as aware datetimes in `zone`."""

        def at(t: time) -> datetime:
            return datetime.combine(day, t, tzinfo=zone)

        if self.break_starts and self.break_ends and self.break_starts < self.break_ends:
            parts = [(self.starts, self.break_starts), (self.break_ends, self.ends)]
        else:
            parts = [(self.starts, self.ends)]
        return [(at(a), at(b)) for a, b in parts if a < b]


def wall_clock(day: date, at: time, zone: ZoneInfo) -> datetime:
    """`day` at `at` on the clinic's clocks, as an aware datetime (zoneinfo resolves the hour
    skipped or repeated by a daylight-saving change with fold=0)."""
    return datetime.combine(day, at, tzinfo=zone)


def is_away(day: date, time_off: Iterable[tuple[date, date]]) -> bool:
    return any(first <= day <= last for first, last in time_off)


def outside_hours(
    hours: Mapping[int, DayHours],
    time_off: Sequence[tuple[date, date]],
    zone: ZoneInfo,
    starts: datetime,
    ends: datetime,
    who: str = "The therapist",
) -> str | None:
    """Why `starts`-`ends` is not within the therapist's hours, in words; None when it is."""
    local_start, local_end = starts.astimezone(zone), ends.astimezone(zone)
    day = local_start.date()
    if is_away(day, time_off):
        return f"{who} is away on {day:%A %-d %B}."
    today = hours.get(day.weekday())
    if today is None:
        return f"{who} does not work on {WEEKDAYS[day.weekday()]}s."
    for window_start, window_end in today.windows(day, zone):
        if window_start <= local_start and local_end <= window_end:
            return None
    span = f"{today.starts:%H:%M}-{today.ends:%H:%M}"
    pause = (
        f", break {today.break_starts:%H:%M}-{today.break_ends:%H:%M}"
        if today.break_starts and today.break_ends
        else ""
    )
    return f"This is outside {who}'s hours on {WEEKDAYS[day.weekday()]}s ({span}{pause})."


def free_slots(
    hours: Mapping[int, DayHours],
    time_off: Sequence[tuple[date, date]],
    busy: Sequence[tuple[datetime, datetime]],
    zone: ZoneInfo,
    first: date,
    last: date,
    minutes: int,
    step: int = 15,
    not_before: datetime | None = None,
) -> list[tuple[datetime, datetime]]:
    """Every start on a `step`-minute grid from `first` to `last` (days in `zone`) where an
    appointment of `minutes` fits in working hours and clashes with nothing in `busy`."""
    length = timedelta(minutes=minutes)
    busy = sorted(busy)
    slots = []
    day = first
    while day <= last:
        today = hours.get(day.weekday())
        if today is not None and not is_away(day, time_off):
            for window_start, window_end in today.windows(day, zone):
                slots += _fits(window_start, window_end, busy, length, step, not_before)
        day += timedelta(days=1)
    return slots


def _fits(window_start, window_end, busy, length, step, not_before):
    found = []
    start = window_start
    # Busy intervals that can touch this window, in order; walk both lists together.
    clashes = [(a, b) for a, b in busy if a < window_end and b > window_start]
    index = 0
    while start + length <= window_end:
        end = start + length
        while index < len(clashes) and clashes[index][1] <= start:
            index += 1
        clash = next((c for c in clashes[index:] if c[0] < end and c[1] > start), None)
        if clash is not None:
            start = _next_step(window_start, clash[1], step)
            continue
        if not_before is None or start >= not_before:
            found.append((start, end))
        start += timedelta(minutes=step)
    return found


def _next_step(origin: datetime, after: datetime, step: int) -> datetime:
    """The first grid point (every `step` minutes from `origin`) at or after `after`."""
    elapsed = (after - origin).total_seconds() / 60
    steps = -(-int(elapsed) // step)
    candidate = origin + timedelta(minutes=steps * step)
    return candidate if candidate >= after else candidate + timedelta(minutes=step)


def series_days(first: date, weekdays: Sequence[int], count: int) -> list[date]:
    """`count` dates from `first` on, falling on the chosen weekdays (0 is Monday)."""
    if count < 1 or not weekdays:
        return []
    days, day = [], first
    while len(days) < count:
        if day.weekday() in weekdays:
            days.append(day)
        day += timedelta(days=1)
    return days


def series_starts(
    first: date, weekdays: Sequence[int], at: time, count: int, zone: ZoneInfo
) -> list[datetime]:
    """The starts of a series at the same wall-clock time on each day, in the clinic's zone."""
    return [wall_clock(day, at, zone) for day in series_days(first, weekdays, count)]


def reassessment_marks(
    days: Sequence[date],
    *,
    already: int,
    after_visits: int | None,
    week_mark: date | None,
    after_weeks: int | None = None,
) -> list[bool]:
    """Which of a series' appointments (on `days`, in order) hold the plan's reassessment point.

    `already`: sessions of the plan counted since its last reassessment point (held or booked
    before this series). The point falls every `after_visits` sessions, or on the first
    appointment on or after `week_mark` (the week limit), whichever comes first; each point
    starts the count again."""
    marks = [False] * len(days)
    counted = already
    for index, day in enumerate(days):
        counted += 1
        by_visits = bool(after_visits) and counted % after_visits == 0
        by_weeks = week_mark is not None and day >= week_mark
        if by_visits or by_weeks:
            marks[index] = True
            counted = 0
            # The next point counts from this one.
            week_mark = day + timedelta(weeks=after_weeks) if after_weeks else None
    return marks


def week_bounds(day: date) -> tuple[date, date]:
    """Monday and Sunday of `day`'s week."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def day_span(day: date, zone: ZoneInfo, days: int = 1) -> tuple[datetime, datetime]:
    """The aware start and end of `days` clinic days from `day` (23 or 25 hours across DST)."""
    return (
        datetime.combine(day, time(0), tzinfo=zone),
        datetime.combine(day + timedelta(days=days), time(0), tzinfo=zone),
    )


def initials(given: str, family: str) -> str:
    """ "A. L." for Ada Lovelace: what the therapist's calendar feed shows of a client."""
    parts = [p[0].upper() + "." for p in (given.split()[:1] + family.split()[:1]) if p]
    return " ".join(parts)
