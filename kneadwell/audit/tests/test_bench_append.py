"""Access-log appends per second with 1 and 4 writers, before and after the chain's lock was
narrowed to the append itself (run with `make bench`, or `pytest -m bench -s` on this file;
excluded from `make test`; DATABASE_URL=… for PostgreSQL, where it matters;
KNEADWELL_BENCH_ASYNC_COMMIT=1 turns PostgreSQL's synchronous commit off for the writers).

"Before" is the earlier append, replayed here: it took PostgreSQL's advisory lock inside the
caller's transaction, so the lock was held until that transaction ended. Each writer appends
either on its own (autocommit, as a view without `atomic` does) or inside a transaction that
goes on for 50 ms after the append (a view that logs, then does more work). A benchmark, not a
timed test: the figures are printed; what is asserted is that the chain verifies afterwards.
"""

import os
import statistics
import threading
import time

import pytest
from django.db import connection, transaction
from django.utils import timezone

from kneadwell.audit.keeping import Keeping
from kneadwell.audit.models import AccessLogEntry

pytestmark = [pytest.mark.bench, pytest.mark.django_db(transaction=True)]
FIELDS = {"clinic_id": 1, "user_email": "tara@willow.test", "action": "view", "what": "chart"}
FIGURES: dict[str, float] = {}


def append_before(**fields) -> None:
    """The append as it was: lock, head, insert, all inside the caller's transaction."""
    key = Keeping.from_settings().key
    with transaction.atomic():
        head = AccessLogEntry._lock_chain("default")
        entry = AccessLogEntry(**fields)
        entry.at = timezone.now()
        entry._link(head, key)
        entry.save()


def append_after(**fields) -> None:
    AccessLogEntry.append(**fields)


def _writer(append, count: int, hold: float, errors: list) -> None:
    try:
        if connection.vendor == "postgresql" and os.environ.get("KNEADWELL_BENCH_ASYNC_COMMIT"):
            # Leaves out the disk's flush at each commit, so that the lock's share shows.
            with connection.cursor() as cursor:
                cursor.execute("SET synchronous_commit = off")
        for _ in range(count):
            if hold:
                with transaction.atomic():
                    append(**FIELDS)
                    time.sleep(hold)  # the rest of the caller's transaction
            else:
                append(**FIELDS)
    except Exception as error:  # noqa: BLE001 - reported by the test
        errors.append(error)
    finally:
        connection.close()


def _rate(append, writers: int, count: int, hold: float) -> float:
    errors: list = []
    threads = [
        threading.Thread(target=_writer, args=(append, count, hold, errors)) for _ in range(writers)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    assert errors == []
    return writers * count / seconds


@pytest.mark.parametrize("hold", [0.0, 0.05], ids=["alone", "in a 50 ms transaction"])
@pytest.mark.parametrize("writers", [1, 4])
def test_appends_per_second(writers, hold, request):
    """Before and after in turn, three rounds each (the machine's load drifts); medians."""
    count = 20 if hold else 100
    rates: dict[str, list[float]] = {"before": [], "after": []}
    for _ in range(3):
        for name, append in (("before", append_before), ("after", append_after)):
            rates[name].append(_rate(append, writers, count, hold))
    for name, found in rates.items():
        label = f"{connection.vendor} {name}, {writers} writer(s), {request.node.callspec.id}"
        FIGURES[label] = statistics.median(found)
        print(f"\n{label}: {FIGURES[label]:,.0f} entries/s (rounds: {found})")
    AccessLogEntry.seal_pending()
    report = AccessLogEntry.verify_chain()
    assert report.problem is None and report.entries == 6 * writers * count


def test_print_figures():
    print("\nAccess-log appends per second (median of 3 rounds):")
    for name, rate in FIGURES.items():
        print(f"  {name:<60} {rate:>8,.0f}")
