"""Every list page and API list runs a fixed number of queries, whatever the number of rows
(no N+1), and no more than its stored baseline (`query_counts.json` beside this file, one set
per database, in the manner of NetBox's query-count tests; PostgreSQL adds the access log's
advisory lock). A new query fails here: if it is wanted, raise the
baseline in the same commit and say why; run with KNEADWELL_UPDATE_QUERY_COUNTS=1 to rewrite
the file after lowering a count."""

import json
import os
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kneadwell.accounts.models import ApiToken, Role
from kneadwell.appointments.models import Appointment, AppointmentType, Room, WorkingHours
from kneadwell.conftest import bearer, logged_in, make_client, make_member
from kneadwell.measures.tests.helpers import record_series
from kneadwell.portal.models import PortalAccount
from kneadwell.portal.tests.conftest import portal_browser
from kneadwell.reports.models import IssuedDocument
from kneadwell.reports.tests.progress_helpers import make_plan
from kneadwell.screening.enforce import record_intake
from kneadwell.screening.models import Override
from kneadwell.visits.models import Visit

BASELINE = Path(__file__).with_name("query_counts.json")

# (name, url from the client record, API?) — every list page and API list.
LISTS = [
    ("page: clients", lambda c: reverse("clients:list"), False),
    ("page: access log", lambda c: reverse("audit:log"), False),
    ("page: overrides", lambda c: reverse("screening:overrides"), False),
    ("page: staff", lambda c: reverse("staff"), False),
    ("page: tokens", lambda c: reverse("tokens"), False),
    ("page: measures", lambda c: reverse("measures:list", args=[c.pk]), False),
    ("page: visits", lambda c: reverse("visits:list", args=[c.pk]), False),
    ("page: library rules", lambda c: reverse("knowledge:rules"), False),
    ("portal: progress", lambda c: reverse("portal:progress"), False),
    ("portal: questionnaires", lambda c: reverse("portal:questionnaires"), False),
    ("portal: home", lambda c: reverse("portal:home"), False),
    ("portal: care", lambda c: reverse("portal:care"), False),
    ("page: documents", lambda c: reverse("reports:documents", args=[c.pk]), False),
    ("api: clients", lambda c: "/api/v1/clients", True),
    ("api: responses", lambda c: f"/api/v1/clients/{c.pk}/responses", True),
    ("api: plans", lambda c: f"/api/v1/clients/{c.pk}/plans", True),
    ("api: visits", lambda c: f"/api/v1/clients/{c.pk}/visits", True),
    ("api: intakes", lambda c: f"/api/v1/clients/{c.pk}/intakes", True),
    ("api: instruments", lambda c: "/api/v1/instruments", True),
    ("page: calendar day", lambda c: reverse("appointments:day") + "?date=2027-03-01", False),
    ("page: calendar week", lambda c: reverse("appointments:week") + "?date=2027-03-01", False),
    ("api: appointments", lambda c: "/api/v1/appointments", True),
    ("api: appointment types", lambda c: "/api/v1/appointment-types", True),
]


def add_rows(clinic, owner, client, n: int) -> None:
    """n more of every kind of row the lists show."""
    for i in range(n):
        other = make_client(clinic, owner, family_name=f"Extra{ApiToken.objects.count()}x{i}")
        _, screening = record_intake(client, {"complaint": "back", "consent": True}, owner)
        Override.objects.create(
            client=other, screening=screening, finding_id="x", violation="pressure", reason="r",
            by=owner,
        )  # fmt: skip
        record_series(client, "nprs", [{"1": 3}], recall="now")
        plan, version = make_plan(client, owner)
        visit = Visit.objects.create(
            clinic_id=clinic.pk, client=client, therapist=owner, plan_version=version,
            visit_date=date(2026, 11, 1) + timedelta(days=i),
        )  # fmt: skip
        visit.sign(owner)
        member = make_member(clinic, f"m{Visit.objects.count()}@willow.test", Role.THERAPIST)
        client.therapists.add(member)
        ApiToken.issue(owner, f"token {i}")
        IssuedDocument.issue(client, "handout", "Client handout", b"%PDF-1.7 test", by=owner,
                             method="print")  # fmt: skip
        logged_in(owner).get(reverse("clients:detail", args=[other.pk]))
        add_appointment(clinic, member, other, i)
        add_own_appointment(clinic, member, client, i)


def add_appointment(clinic, therapist, client, i: int) -> None:
    """An appointment on Monday 1 March 2027 (the calendar lists' day), screened or not."""
    kind, _ = AppointmentType.objects.get_or_create(clinic=clinic, name="Follow-up", minutes=45)
    room = Room.objects.create(clinic=clinic, name=f"Room {Room.objects.count()}")
    WorkingHours.objects.create(therapist=therapist, weekday=0, starts="09:00", ends="17:00")
    starts = datetime(2027, 3, 1, 9, tzinfo=UTC) + timedelta(hours=i % 8)
    Appointment.objects.create(
        clinic=clinic, client=client, therapist=therapist, appointment_type=kind, room=room,
        starts_at=starts, ends_at=starts + timedelta(minutes=45),
    )  # fmt: skip
    if i % 2:
        record_intake(client, {"complaint": "back", "consent": True}, therapist)


def add_own_appointment(clinic, therapist, client, i: int) -> None:
    """One of the record's own coming appointments (the portal's "My care" lists them)."""
    kind, _ = AppointmentType.objects.get_or_create(clinic=clinic, name="Follow-up", minutes=45)
    starts = datetime(2027, 4, 1, 9, tzinfo=UTC) + timedelta(days=i)
    Appointment.objects.create(
        clinic=clinic, client=client, therapist=therapist, appointment_type=kind,
        starts_at=starts, ends_at=starts + timedelta(minutes=45),
    )  # fmt: skip


def count(owner, client, url, api: bool) -> int:
    browser = HttpClient() if api else logged_in(owner)
    if url.startswith("/portal/"):  # the client's own pages, in a portal session
        browser = portal_browser(PortalAccount.invite(client, owner))
    headers = bearer(owner) if api else {}
    browser.get(url, **headers)  # warm: sessions, caches, first-use lookups
    with CaptureQueriesContext(connection) as queries:
        response = browser.get(url, **headers)
    assert response.status_code == 200, url
    return len(queries)


@pytest.fixture
def baseline():
    stored = json.loads(BASELINE.read_text()) if BASELINE.exists() else {}
    counts = stored.get(connection.vendor, {})
    found: dict[str, int] = {}
    yield counts, found
    if os.environ.get("KNEADWELL_UPDATE_QUERY_COUNTS") and found:
        stored[connection.vendor] = dict(sorted({**counts, **found}.items()))
        BASELINE.write_text(json.dumps(stored, indent=2, sort_keys=True) + "\n")


@pytest.mark.parametrize(("name", "url", "api"), LISTS, ids=[n for n, _, _ in LISTS])
def test_the_query_count_is_flat_and_within_its_baseline(
    clinic, owner, client_record, baseline, name, url, api
):
    counts, found = baseline
    add_rows(clinic, owner, client_record, 1)
    few = count(owner, client_record, url(client_record), api)
    add_rows(clinic, owner, client_record, 3)
    many = count(owner, client_record, url(client_record), api)
    assert many == few, f"{name}: {few} queries with few rows, {many} with more (an N+1?)"
    found[name] = many
    assert name in counts, f"{name} has no baseline in {BASELINE.name} ({many} queries)"
    assert many <= counts[name], f"{name}: {many} queries, baseline {counts[name]}"
