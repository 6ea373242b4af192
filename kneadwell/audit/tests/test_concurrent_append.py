"""Writers at once, inside and outside transactions: every entry lands in one unbroken chain
(the lock covers only the append or the linking, and `audit verify` still holds)."""

import threading

import pytest
from django.db import connection, transaction

from kneadwell.audit.models import AccessLogEntry


def _writer(index: int, errors: list) -> None:
    try:
        for n in range(10):
            fields = {"clinic_id": 1, "action": "view", "what": f"chart {index}-{n}"}
            if n % 2:
                with transaction.atomic():  # linked when this commits
                    AccessLogEntry.append(**fields)
            else:
                AccessLogEntry.append(**fields)  # linked at once
    except Exception as error:  # noqa: BLE001 - reported by the test
        errors.append(error)
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_four_writers_make_one_unbroken_chain():
    errors: list = []
    threads = [threading.Thread(target=_writer, args=(i, errors)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert not AccessLogEntry.objects.filter(seq__isnull=True).exists()  # all linked at commit
    assert sorted(AccessLogEntry.objects.values_list("seq", flat=True)) == list(range(1, 41))
    report = AccessLogEntry.verify_chain()
    assert report.problem is None and report.entries == 40
