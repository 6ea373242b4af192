"""The planner's statistics: with them SQLite reads a client's page of a big log through the
client's index, not by sorting every entry of the date range (issue 18 item 4)."""

from datetime import UTC, datetime, timedelta

from django.db import connection

from kneadwell.audit import statistics
from kneadwell.audit.forms import LogFilterForm
from kneadwell.audit.models import AccessLogEntry, Action
from kneadwell.audit.tasks import refresh_planner_statistics
from kneadwell.audit.tests.test_log_page import _plan


def _year_of_reads(clinic_id: int, n: int) -> None:
    """n reads over the last year, one client in a hundred of them."""
    start = datetime(2026, 1, 1, tzinfo=UTC)
    AccessLogEntry.extend([
        AccessLogEntry(clinic_id=clinic_id, user_email="tara@willow.test", action=Action.VIEW,
                       what="chart", client_id=7 if i % 100 == 0 else 1000 + i % 50,
                       at=start + timedelta(hours=6 * i))
        for i in range(n)
    ])  # fmt: skip


def test_a_clients_page_since_a_date_uses_the_clients_index(owner, clinic):
    from kneadwell.accounts.models import User

    _year_of_reads(clinic.pk, 1400)
    refreshed = statistics.refresh()
    assert refreshed == (connection.vendor == "sqlite")
    form = LogFilterForm(
        {"client": "7", "action": "view", "since": "2026-02-01"},
        people=User.objects.filter(pk=owner.pk),
    )
    assert form.is_valid(), form.errors
    entries = form.filter(AccessLogEntry.objects.filter(clinic_id=clinic.pk))
    plan = _plan(entries.order_by("-at", "-id")[:51])
    if connection.vendor == "sqlite":
        assert "audit_clinic_client" in plan, plan
        assert "TEMP B-TREE" not in plan, plan
    else:
        assert "audit_clinic_" in plan, plan


def test_the_nightly_task_refreshes_them(db):
    assert refresh_planner_statistics.call_local() == (connection.vendor == "sqlite")
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM sqlite_stat1")
            assert cursor.fetchone()[0] > 0
