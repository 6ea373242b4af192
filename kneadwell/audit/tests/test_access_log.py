"""Reads and changes land in the access log; the log cannot be edited and shows tampering."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from kneadwell.audit.models import AccessLogEntry, Action, Channel
from kneadwell.cli import main as kneadwell
from kneadwell.conftest import bearer, logged_in


def test_opening_a_chart_is_logged_with_who_what_and_where(therapist, client_record):
    logged_in(therapist).get(
        reverse("clients:detail", args=[client_record.pk]), REMOTE_ADDR="10.1.2.3"
    )
    entry = AccessLogEntry.objects.get(action=Action.VIEW)
    assert (entry.user_email, entry.client_id, entry.what) == (
        "tara@willow.test",
        client_record.pk,
        "chart",
    )
    assert (entry.clinic_id, entry.address, entry.channel) == (
        client_record.clinic_id,
        "10.1.2.3",
        Channel.UI,
    )


def test_an_api_read_is_logged_as_api(therapist, client_record):
    from django.test import Client as HttpClient

    HttpClient().get(f"/api/v1/clients/{client_record.pk}", **bearer(therapist))
    assert AccessLogEntry.objects.get(action=Action.VIEW).channel == Channel.API


def test_a_change_logs_the_field_names_but_not_the_values(therapist, client_record):
    data = {
        "given_names": "Ada",
        "family_name": "Byron",
        "birth_date": "1965-12-10",
        "gender": "female",
    }
    logged_in(therapist).post(reverse("clients:edit", args=[client_record.pk]), data)
    entry = AccessLogEntry.objects.get(action=Action.UPDATE)
    assert "family_name" in entry.what
    assert "Byron" not in entry.what


def test_the_list_logs_which_clients_were_shown(therapist, client_record):
    logged_in(therapist).get(reverse("clients:list"))
    assert AccessLogEntry.objects.get(action=Action.LIST).what == f"client list: {client_record.pk}"


def test_entries_cannot_be_changed_or_deleted_through_the_app(therapist, client_record):
    logged_in(therapist).get(reverse("clients:detail", args=[client_record.pk]))
    entry = AccessLogEntry.objects.get()
    entry.what = "nothing to see"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AccessLogEntry.objects.all().delete()
    with pytest.raises(PermissionError):
        AccessLogEntry.objects.update(what="x")


def test_audit_verify_finds_an_entry_edited_in_the_database(therapist, client_record, capsys):
    browser = logged_in(therapist)
    for _ in range(3):
        browser.get(reverse("clients:detail", args=[client_record.pk]))
    assert kneadwell(["audit", "verify"]) == 0
    assert "intact (3 entries)" in capsys.readouterr().out
    second = AccessLogEntry.objects.order_by("id")[1]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_accesslogentry SET what = %s WHERE id = %s", ["edited", second.id]
        )
    assert kneadwell(["audit", "verify"]) == 1
    assert f"entry {second.id}: its contents do not match" in capsys.readouterr().err


def test_audit_verify_finds_a_deleted_entry(therapist, client_record, capsys):
    browser = logged_in(therapist)
    for _ in range(3):
        browser.get(reverse("clients:detail", args=[client_record.pk]))
    AccessLogEntry.seal_pending()  # what the request's commit does outside a test
    second = AccessLogEntry.objects.order_by("id")[1]
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_accesslogentry WHERE id = %s", [second.id])
    assert kneadwell(["audit", "verify"]) == 1
    assert f"entry {second.id + 1}: its link" in capsys.readouterr().err


def test_the_owner_filters_the_log_and_exports_csv(owner, therapist, client_record):
    logged_in(therapist).get(reverse("clients:detail", args=[client_record.pk]))
    logged_in(owner).get(reverse("clients:list"))
    browser = logged_in(owner)
    page = browser.get(reverse("audit:log"), {"user": therapist.pk}).content.decode()
    assert "<td>tara@willow.test</td>" in page and "<td>owner@willow.test</td>" not in page
    csv = browser.get(reverse("audit:csv"), {"action": "view"}).getvalue().decode()
    assert csv.splitlines()[0].startswith("id,at,user,client,action")
    assert len(csv.splitlines()) == 2 and "tara@willow.test" in csv


def test_only_the_owner_browses_the_log(therapist, desk):
    assert logged_in(therapist).get(reverse("audit:log")).status_code == 403
    assert logged_in(desk).get(reverse("audit:csv")).status_code == 403


def test_owners_see_only_their_own_clinics_entries(outsider, therapist, client_record):
    logged_in(therapist).get(reverse("clients:detail", args=[client_record.pk]))
    csv = logged_in(outsider).get(reverse("audit:csv")).getvalue().decode()
    assert "tara@willow.test" not in csv


def test_migrations_leave_an_empty_chain_valid(db):
    call_command("check")
    assert AccessLogEntry.verify() is None
