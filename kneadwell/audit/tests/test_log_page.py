"""The access log page at scale: date filters as ranges, keyset pages with opaque cursors, the
streamed CSV with formula cells neutralised."""

import re
from datetime import UTC, date, datetime, timedelta

from django.db import connection
from django.urls import reverse

from kneadwell.audit.forms import start_of
from kneadwell.audit.models import AccessLogEntry, Action, Channel
from kneadwell.audit.paging import csv_lines, decode_cursor, encode_cursor, spreadsheet_safe
from kneadwell.conftest import logged_in


def _history(clinic_id: int, n: int, **fields) -> list[AccessLogEntry]:
    """n reads, one an hour from 2026-11-30 22:00 (UTC), through the chain's bulk append."""
    start = datetime(2026, 11, 30, 22, tzinfo=UTC)
    entries = [
        AccessLogEntry(clinic_id=clinic_id, user_email="tara@willow.test", action=Action.VIEW,
                       what=f"chart {i}", at=start + timedelta(hours=i), **fields)
        for i in range(n)
    ]  # fmt: skip
    AccessLogEntry.extend(entries)
    return entries


def _rows(page: str) -> list[str]:
    return re.findall(r"<td>(chart \d+)</td>", page)


def _cursors(page: str) -> dict[str, str]:
    return dict((label, c) for c, label in re.findall(r'cursor=([\w-]+)"[^>]*>(\w+) entries', page))


def test_date_filters_are_ranges_on_the_clinics_days(owner, clinic, settings):
    settings.TIME_ZONE = "Europe/Berlin"  # UTC+1: 23:00 UTC on 30 Nov is 1 Dec there
    _history(clinic.pk, 6)  # 22:00, 23:00 UTC on 30 Nov, then 00:00–03:00 UTC on 1 Dec
    browser = logged_in(owner)
    page = browser.get(reverse("audit:log"), {"since": "2026-12-01", "until": "2026-12-01"})
    assert sorted(_rows(page.content.decode())) == [f"chart {i}" for i in range(1, 6)]
    page = browser.get(reverse("audit:log"), {"until": "2026-11-30"}).content.decode()
    assert _rows(page) == ["chart 0"]


def test_start_of_a_day_is_midnight_in_the_clinics_zone(settings):
    settings.TIME_ZONE = "Europe/Berlin"
    assert start_of(date(2026, 12, 1)).isoformat() == "2026-12-01T00:00:00+01:00"


def test_the_date_filter_does_not_convert_every_row(owner, clinic):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        logged_in(owner).get(reverse("audit:log"), {"since": "2026-12-01"})
    log_queries = [q["sql"] for q in queries if "audit_accesslogentry" in q["sql"]]
    assert log_queries and not any("django_datetime_cast_date" in q for q in log_queries)
    assert not any("COUNT(" in q.upper() for q in log_queries)


def test_keyset_pages_walk_older_and_newer_without_gaps(owner, clinic):
    _history(clinic.pk, 120)
    browser = logged_in(owner)
    first = browser.get(reverse("audit:log")).content.decode()
    assert _rows(first)[0] == "chart 119" and len(_rows(first)) == 50
    assert "Newer" not in _cursors(first)
    second = browser.get(reverse("audit:log"), {"cursor": _cursors(first)["Older"]})
    second = second.content.decode()
    assert _rows(second)[0] == "chart 69" and _rows(second)[-1] == "chart 20"
    third = browser.get(reverse("audit:log"), {"cursor": _cursors(second)["Older"]})
    third = third.content.decode()
    assert _rows(third) == [f"chart {i}" for i in range(19, -1, -1)]
    assert "Older" not in _cursors(third)
    back = browser.get(reverse("audit:log"), {"cursor": _cursors(third)["Newer"]})
    assert _rows(back.content.decode()) == _rows(second)
    back = browser.get(reverse("audit:log"), {"cursor": _cursors(second)["Newer"]})
    assert _rows(back.content.decode()) == _rows(first)


def test_pages_keep_the_filters(owner, clinic):
    _history(clinic.pk, 60, channel=Channel.API)
    _history(clinic.pk, 5)
    page = logged_in(owner).get(reverse("audit:log"), {"channel": "api"}).content.decode()
    assert len(_rows(page)) == 50 and "channel=api&amp;cursor=" in page


def test_a_garbled_cursor_shows_the_newest_page(owner, clinic):
    _history(clinic.pk, 3)
    page = logged_in(owner).get(reverse("audit:log"), {"cursor": "!!not-a-cursor"})
    assert page.status_code == 200 and _rows(page.content.decode())[0] == "chart 2"


def test_cursors_are_opaque_and_round_trip():
    at = datetime(2026, 12, 1, 9, 30, 0, 123456, tzinfo=UTC)
    cursor = encode_cursor("o", at, 12345)
    assert "12345" not in cursor and decode_cursor(cursor) == ("o", (at, 12345))
    assert decode_cursor("x") is None and decode_cursor(encode_cursor("z", at, 5)) is None


def test_cells_a_spreadsheet_would_run_are_neutralised():
    for text in ("=HYPERLINK(1)", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"):
        assert spreadsheet_safe(text) == "'" + text
    assert spreadsheet_safe("chart") == "chart" and spreadsheet_safe(-1) == -1
    assert list(csv_lines([["=1+1", "ok"]])) == ["'=1+1,ok\r\n"]


def test_the_csv_is_streamed_with_formula_cells_neutralised(owner, clinic):
    AccessLogEntry.append(clinic_id=clinic.pk, user_email="=cmd|' /C calc'!A0", action="view",
                          what="@SUM(1+1)")  # fmt: skip
    response = logged_in(owner).get(reverse("audit:csv"))
    assert response.streaming
    lines = response.getvalue().decode().splitlines()
    assert lines[0] == "id,at,user,client,action,what,channel,address,hash"
    assert ",'=cmd|' /C calc'!A0,," in lines[1] and ",'@SUM(1+1)," in lines[1]


def test_every_filter_has_an_index_with_the_clinic_first():
    indexed = {tuple(index.fields[:2]) for index in AccessLogEntry._meta.indexes}
    for column in ("user_id", "client_id", "action", "channel", "at"):
        assert ("clinic_id", column) in indexed, column
    # Each ends with the (time, number) the pages walk, so no filter needs a sort.
    assert all(index.fields[-2:] == ["at", "id"] for index in AccessLogEntry._meta.indexes[:5])


def _plan(entries) -> str:
    sql, params = entries.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table: ask for the index
            cursor.execute("EXPLAIN " + sql, params)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return " ".join(str(row) for row in cursor.fetchall())


def test_filtered_pages_are_read_through_a_clinic_index(owner, clinic):
    from kneadwell.accounts.models import User
    from kneadwell.audit.forms import LogFilterForm

    _history(clinic.pk, 5)
    people = User.objects.filter(pk=owner.pk)
    for data in ({"since": "2026-12-01", "until": "2026-12-02"}, {"user": str(owner.pk)},
                 {"client": "7"}, {"action": "view"}, {"channel": "api"}):  # fmt: skip
        form = LogFilterForm(data, people=people)
        assert form.is_valid(), form.errors
        entries = form.filter(AccessLogEntry.objects.filter(clinic_id=clinic.pk))
        plan = _plan(entries.order_by("-at", "-id")[:51])
        assert "audit_clinic_" in plan, (data, plan)
        assert "cast" not in plan.lower(), (data, plan)


DATE_FILTERS = ({"until": "2026-12-01"}, {"since": "2026-12-01"},
                {"since": "2026-12-01", "until": "2026-12-02"})  # fmt: skip
OTHER_FILTERS = ({}, {"user": "OWNER"}, {"client": "7"}, {"action": "view"}, {"channel": "api"},
                 {"client": "7", "action": "view"})  # fmt: skip


def test_every_date_filter_is_an_index_range_without_a_sort(owner, clinic):
    """The page's own query, older entries from a cursor included: the date bound is part of the
    index search (not a filter over rows walked by another order) and nothing is sorted."""
    from kneadwell.accounts.models import User
    from kneadwell.audit.forms import LogFilterForm
    from kneadwell.audit.paging import older_than

    _history(clinic.pk, 5)
    people = User.objects.filter(pk=owner.pk)
    cursor_at = datetime(2026, 12, 1, 5, tzinfo=UTC)
    for dates in DATE_FILTERS:
        for others in OTHER_FILTERS:
            data = {k: str(owner.pk) if v == "OWNER" else v for k, v in {**dates, **others}.items()}
            form = LogFilterForm(data, people=people)
            assert form.is_valid(), form.errors
            entries = form.filter(AccessLogEntry.objects.filter(clinic_id=clinic.pk))
            for query in (entries, older_than(entries, cursor_at, 3)):
                plan = _plan(query.order_by("-at", "-id")[:51])
                assert "_time" in plan, (data, plan)
                if connection.vendor == "postgresql":
                    assert "Sort" not in plan and "Seq Scan" not in plan, (data, plan)
                    assert re.search(r"Index Cond: .*\bat [<>]", plan), (data, plan)
                else:
                    assert "TEMP B-TREE" not in plan and "SCAN" not in plan, (data, plan)
                    assert re.search(r"USING INDEX audit_\w+_time \(.*\bat[<>]", plan), plan


def _out_of_step(clinic_id: int) -> list[AccessLogEntry]:
    """130 entries whose times are not in step with their numbers: each run of three shares a
    time, and every fifth entry was stamped a little before the one written ahead of it."""
    start = datetime(2026, 11, 1, tzinfo=UTC)
    entries = []
    for i in range(130):
        at = start + timedelta(minutes=i // 3)
        if i % 5 == 4:
            at -= timedelta(minutes=2)
        entries.append(AccessLogEntry(clinic_id=clinic_id, user_email="tara@willow.test",
                                      action=Action.VIEW, what=f"chart {i}", at=at))  # fmt: skip
    AccessLogEntry.extend(entries)
    return entries


def _walk(entries: list[AccessLogEntry]) -> list[str]:
    """The texts newest first by time, the later-written first among equal times."""
    written = list(enumerate(entries))  # bulk-written: numbered in this order
    return [e.what for _, e in sorted(written, key=lambda p: (p[1].at, p[0]), reverse=True)]


def test_pages_walk_time_across_equal_and_out_of_step_times(owner, clinic):
    entries = _out_of_step(clinic.pk)
    walk = _walk(entries)
    assert walk != [e.what for e in reversed(entries)]  # the times really are out of step
    browser = logged_in(owner)
    pages, cursor = [], None
    while True:
        page = browser.get(reverse("audit:log"), {"cursor": cursor} if cursor else {})
        pages.append(page.content.decode())
        cursor = _cursors(pages[-1]).get("Older")
        if cursor is None:
            break
    assert [len(_rows(p)) for p in pages] == [50, 50, 30]
    assert [row for p in pages for row in _rows(p)] == walk
    for newer, older in zip(pages, pages[1:], strict=False):
        back = browser.get(reverse("audit:log"), {"cursor": _cursors(older)["Newer"]})
        assert _rows(back.content.decode()) == _rows(newer)


def test_an_until_filter_pages_through_its_range_only(owner, clinic, settings):
    settings.TIME_ZONE = "UTC"
    entries = _out_of_step(clinic.pk)  # 31 Oct 23:58 to 1 Nov 00:43
    _history(clinic.pk, 40)  # from 30 Nov 22:00: outside the range
    browser, rows, cursor = logged_in(owner), [], None
    while True:
        query = {"until": "2026-11-29", **({"cursor": cursor} if cursor else {})}
        page = browser.get(reverse("audit:log"), query).content.decode()
        rows += _rows(page)
        cursor = _cursors(page).get("Older")
        if cursor is None:
            break
    assert rows == _walk(entries)
    page = browser.get(reverse("audit:log"), {"until": "2026-10-31"}).content.decode()
    assert sorted(_rows(page)) == sorted(e.what for e in entries if e.at.day == 31)


def test_the_csv_lists_the_same_entries_as_the_pages_oldest_first(owner, clinic):
    entries = _out_of_step(clinic.pk)
    lines = logged_in(owner).get(reverse("audit:csv")).getvalue().decode().splitlines()[1:]
    listed = [line.split(",")[5] for line in lines]
    assert listed == _walk(entries)[::-1]
