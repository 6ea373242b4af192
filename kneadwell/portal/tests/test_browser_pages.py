"""Every page of the client's side is light (≤ 50 KB on a first visit), free of serious or
critical axe-core violations, and usable at 320 px; and works without JavaScript."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kneadwell.appointments.models import Appointment, AppointmentType, ClinicCalendar
from kneadwell.appointments.tests.helpers import set_up_calendar
from kneadwell.conftest import logged_in
from kneadwell.measures.models import Response
from kneadwell.portal import intake as steps
from kneadwell.portal.tests.browser import (
    BUDGET,
    NARROW,
    first_visit_bytes,
    fits,
    phone,
    serious_violations,
    sign_in_client,
)
from kneadwell.portal.tests.conftest import portal_browser
from kneadwell.portal.tests.helpers import fill_intake
from kneadwell.reports.models import IssuedDocument
from kneadwell.reports.tests.progress_helpers import make_plan, sign_visits
from kneadwell.visits.models import Visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

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
def lived_in(account, therapist):
    """A client with an accepted intake, a plan asking for questionnaires, scores and a signed
    visit with home advice: every page has something on it."""
    client = account.client
    fill_intake(portal_browser(account), conditions=["sciatica"])
    record = client.portal_intakes.get()
    logged_in(therapist).post(reverse("portal_staff:intake", args=[client.pk, record.pk]))
    _, version = make_plan(client, therapist, measures={"baseline": ["pgic"], "periodic": []})
    visit = sign_visits(client, therapist, version, [date.today() - timedelta(days=7)])[0]
    Visit.objects.filter(pk=visit.pk).update(home_advice="Walk 20 minutes a day.")
    for days, value in ((40, 8), (20, 6), (2, 4)):
        when = timezone.now() - timedelta(days=days)
        Response.record(client, "nprs", {"1": value}, recall="now", taken_at=when)
    # Online booking on, a week of free times with two bookable types (the heaviest booking
    # page), and two shared letters.
    _, follow_up = set_up_calendar(client.clinic, therapist)
    AppointmentType.objects.filter(clinic=client.clinic).update(bookable_online=True)
    ClinicCalendar.objects.filter(clinic=client.clinic).update(clients_may_book=True)
    for title in ("Progress report to the physician", "Referral letter"):
        IssuedDocument.issue(
            client, "progress", title, b"%PDF-1.4 letter", by=therapist, method="download"
        ).share(by=therapist)
    return account


def test_every_page_is_light_accessible_and_fits_a_narrow_phone(browser, live_server, lived_in):
    page = phone(browser, live_server)
    sign_in_client(page, lived_in)
    cookies = page.context.cookies()
    narrow = phone(browser, live_server, width=NARROW)
    narrow.context.add_cookies(cookies)
    for path in PAGES:
        total, sizes = first_visit_bytes(browser, live_server, path, cookies)
        print(f"{path}: {total} bytes on a first visit")
        assert total <= BUDGET, f"{path}: {total} bytes {sizes}"
        page.goto(path)
        assert page.url.endswith(path), f"{path} went to {page.url}"
        if path == reverse("portal:book"):
            assert page.get_by_role("button", name="Book this time").count() >= 3
        if path == reverse("portal:shared_documents"):
            assert page.get_by_role("link", name="Referral letter").count() == 1
        assert serious_violations(page) == [], path
        narrow.goto(path)
        assert fits(narrow, 320), path
    # A letter no longer shared: the portal's own "not found" page, accessible and narrow.
    gone = reverse("portal:shared_document", args=[99])
    assert page.goto(gone).status == 404
    assert page.get_by_role("link", name="Back to your portal").count() == 1
    assert page.get_by_text("Back to the client list").count() == 0
    assert serious_violations(page) == [], gone
    narrow.goto(gone)
    assert fits(narrow, 320), gone


def test_the_checkin_and_a_questionnaire_work_without_javascript(browser, live_server, lived_in):
    page = phone(browser, live_server, javascript=False)
    sign_in_client(page, lived_in)
    page.goto(reverse("portal:questionnaire", args=[1]))
    page.locator("form.measure input[type=radio]").first.check()
    page.get_by_role("button", name="Send my answers").click()
    page.get_by_text("Your answers to the").wait_for()
    page.goto(reverse("portal:checkin"))
    page.locator("label[for=id_nprs_3]").click()
    for radio in page.locator("input[type=radio][value=no]").all():
        radio.check()
    page.get_by_role("button", name="Send to my therapist").click()
    page.get_by_text("Your therapist has your answers").wait_for()
    assert Visit.objects.filter(client=lived_in.client, nprs=3).exists()


def test_booking_a_follow_up_and_a_letter_work_without_javascript(browser, live_server, lived_in):
    page = phone(browser, live_server, width=NARROW, javascript=False)
    sign_in_client(page, lived_in)
    page.goto(reverse("portal:care"))
    page.get_by_role("link", name="Book a follow-up").click()
    first_day = page.locator("form.slot-day").first
    choice = first_day.locator("select option").first
    label = choice.inner_text()
    first_day.locator("select").select_option(index=0)
    first_day.get_by_role("button", name="Book this time").click()
    page.get_by_text("Booked. We have emailed you the time.").wait_for()
    assert label.split(",")[0] in page.locator("ul.appointments").inner_text()
    booked = Appointment.objects.get(client=lived_in.client)
    assert booked.booked_online
    # Cancelling asks first, naming the visit, then says which visit is cancelled.
    page.get_by_role("button", name="Cancel this visit").click()
    page.get_by_role("heading", name="Cancel your visit?").wait_for()
    page.get_by_role("button", name="Yes, cancel this visit").click()
    page.get_by_text("is cancelled. The clinic can see it.").wait_for()
    booked.refresh_from_db()
    assert booked.status == "cancelled"
    page.goto(reverse("portal:shared_documents"))
    with page.expect_download() as download:
        page.get_by_role("link", name="Referral letter").click()
    with open(download.value.path(), "rb") as saved:
        assert saved.read() == b"%PDF-1.4 letter"
