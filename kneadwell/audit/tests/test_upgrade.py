"""A database from before the keyed chain: migration `audit.0003` keeps its entries in their
chain order, `audit verify` checks them by plain hash as before and says so, and new entries
are keyed after them."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from kneadwell.audit.chain import GENESIS, entry_hash
from kneadwell.audit.models import AccessLogEntry

BEFORE = [("audit", "0002_channel_portal")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    return executor


@pytest.mark.django_db(transaction=True)
def test_an_unkeyed_log_is_kept_verified_and_continued_with_the_key():
    old_apps = _migrate(BEFORE).loader.project_state(BEFORE).apps
    try:
        Old = old_apps.get_model("audit", "AccessLogEntry")
        prev, start = GENESIS, datetime(2026, 11, 1, 9, 30, 0, 123456, tzinfo=UTC)
        for n in range(3):
            at = start + timedelta(minutes=n)
            fields = {"at": at.isoformat(), "clinic_id": 1, "user_id": 2,
                      "user_email": "tara@willow.test", "client_id": 7, "action": "view",
                      "what": "chart", "channel": "ui", "address": None}  # fmt: skip
            digest = entry_hash(prev, fields)  # the chain as it was: plain SHA-256
            Old.objects.create(**{**fields, "at": at}, prev_hash=prev, hash=digest)
            prev = digest
    finally:
        _migrate(None)
    old = list(AccessLogEntry.objects.order_by("id"))
    assert [e.seq for e in old] == [e.id for e in old] and not any(e.keyed for e in old)
    AccessLogEntry.append(clinic_id=1, action="view", what="chart")
    report = AccessLogEntry.verify_chain()
    assert report.problem is None and report.entries == 4 and report.unkeyed == 3
    new = AccessLogEntry.objects.order_by("-id").first()
    assert new.keyed and new.prev_hash == old[-1].hash
