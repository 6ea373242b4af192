"""Every client page of the portal, for a client with a full record: it answers, every read is
in the access log with the client as the actor, and no internal id shows in the text."""

from datetime import date, timedelta

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from kneadwell.appointments.models import AppointmentType, ClinicCalendar
from kneadwell.appointments.tests.helpers import set_up_calendar
from kneadwell.audit.models import AccessLogEntry, Channel
from kneadwell.conftest import logged_in
from kneadwell.core.tests.test_plain_words import snake_tokens, visible_text
from kneadwell.measures.models import Response
from kneadwell.portal import intake as steps
from kneadwell.portal.tests.conftest import portal_browser
from kneadwell.portal.tests.helpers import fill_intake
from kneadwell.reports.models import IssuedDocument
from kneadwell.reports.tests.progress_helpers import make_plan, sign_visits
from kneadwell.visits.models import Visit

pytestmark = pytest.mark.django_db

PAGES = [
    reverse("portal:home"),
    reverse("portal:intake"),
    *(reverse("portal:intake_step", args=[step]) for step in steps.STEP_IDS),
    reverse("portal:checkin"),
    reverse("portal:questionnaires"),
    reverse("portal:questionnaire", args=[1]),
    reverse("portal:progress"),
    reverse("portal:care"),
    reverse("portal:book"),
    reverse("portal:shared_documents"),
    reverse("portal:details"),
]


@pytest.fixture
def browser(account, therapist):
    client = account.client
    browser = portal_browser(account)
    fill_intake(browser, conditions=["sciatica", "chronic_lbp"])
    record = client.portal_intakes.get()
    logged_in(therapist).post(reverse("portal_staff:intake", args=[client.pk, record.pk]))
    _, version = make_plan(client, therapist, measures={"baseline": ["pgic"], "periodic": []})
    visit = sign_visits(client, therapist, version, [date.today() - timedelta(days=7)])[0]
    Visit.objects.filter(pk=visit.pk).update(home_advice="Walk 20 minutes a day.")
    for days, value in ((40, 8), (2, 4)):
        when = timezone.now() - timedelta(days=days)
        Response.record(client, "nprs", {"1": value}, recall="now", taken_at=when)
    set_up_calendar(client.clinic, therapist)
    AppointmentType.objects.filter(clinic=client.clinic).update(bookable_online=True)
    ClinicCalendar.objects.filter(clinic=client.clinic).update(clients_may_book=True)
    IssuedDocument.issue(
        client, "referral", "Referral letter", b"%PDF-1 r", by=therapist, method="download"
    ).share(by=therapist)
    return browser


@pytest.mark.parametrize("path", PAGES)
def test_each_page_is_logged_as_the_clients_read_and_in_plain_words(browser, account, path):
    before = AccessLogEntry.objects.count()
    response = browser.get(path)
    assert response.status_code == 200
    entries = list(AccessLogEntry.objects.order_by("id")[before:])
    assert entries, f"{path} left no trace in the access log"
    for entry in entries:
        assert entry.channel == Channel.PORTAL and entry.user_id is None
        assert entry.client_id == account.client.pk and entry.action == "view"
    assert snake_tokens(visible_text(response.content.decode())) == set(), path


def test_every_page_needs_a_signed_in_client(account):
    for path in PAGES:
        response = HttpClient().get(path)
        assert response.status_code == 302 and response["Location"] == reverse("portal:sign_in"), (
            path
        )
