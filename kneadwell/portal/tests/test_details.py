"""My details: the client updates contact, emergency contact and physician (the clinic sees
what changed), and asks the clinic to correct something (the clinic answers and closes it)."""

import pytest
from django.urls import reverse

from kneadwell.conftest import logged_in
from kneadwell.portal.models import CorrectionRequest, DetailsChange
from kneadwell.portal.tests.conftest import portal_browser

pytestmark = pytest.mark.django_db
URL = reverse("portal:details")


def details(**changed):
    values = {"details-phone": "", "details-emergency_name": "", "details-physician_name": ""}
    values.update({f"details-{k}": v for k, v in changed.items()})
    return values


def test_a_change_is_saved_and_the_clinic_sees_what_changed(account, therapist, desk):
    browser = portal_browser(account)
    response = browser.post(URL, details(phone="0123 456", physician_name="Dr Grey"))
    assert response.status_code == 302
    account.client.refresh_from_db()
    assert account.client.phone == "0123 456"
    change = DetailsChange.objects.get()
    assert change.changes == {
        "Your phone number": ["", "0123 456"],
        "Your doctor's name": ["", "Dr Grey"],
    }
    chart = reverse("clients:detail", args=[account.client.pk])
    for person in (therapist, desk):  # contact details are not clinical: front desk sees them
        assert "Dr Grey" in logged_in(person).get(chart).content.decode()
    logged_in(therapist).post(
        reverse("portal_staff:change_seen", args=[account.client.pk, change.pk])
    )
    change.refresh_from_db()
    assert change.seen_by == therapist


def test_saving_without_a_change_records_nothing(account):
    portal_browser(account).post(URL, details())
    assert not DetailsChange.objects.exists()


def test_a_bad_email_is_named_and_everything_typed_is_kept(account):
    response = portal_browser(account).post(
        URL, details(phone="0123", physician_email="not-an-address")
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Enter an email address like name@example.org." in page
    assert 'value="0123"' in page
    account.client.refresh_from_db()
    assert account.client.phone == ""


def test_a_correction_request_is_answered_and_closed_by_the_clinic(account, therapist):
    browser = portal_browser(account)
    browser.post(reverse("portal:correction"), {"text": "My birth year is 1966"})
    asked = CorrectionRequest.objects.get()
    url = reverse("portal_staff:correction", args=[account.client.pk, asked.pk])
    staff = logged_in(therapist)
    assert "My birth year is 1966" in staff.get(url).content.decode()
    assert staff.post(url, {"answer": ""}).status_code == 200  # an answer is needed
    staff.post(url, {"answer": "Corrected to 1966."})
    asked.refresh_from_db()
    assert not asked.is_open and asked.closed_by == therapist
    assert "Corrected to 1966." in browser.get(URL).content.decode()


def test_an_empty_correction_request_is_refused(account):
    response = portal_browser(account).post(reverse("portal:correction"), {"text": " "})
    assert "Say what should be corrected." in response.content.decode()
    assert not CorrectionRequest.objects.exists()
