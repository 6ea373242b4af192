"""Isolation: the clinic's new portal pages through the access matrix; a client probing other
clients' and other clinics' ids gets 404 (or the sign-in page) everywhere, and sees only their
own record."""

import pytest
from django.urls import reverse

from kneadwell.conftest import CLINICAL_PAGE, Route, check_access, logged_in
from kneadwell.portal import urls
from kneadwell.portal.models import CorrectionRequest, DetailsChange, PortalIntake
from kneadwell.portal.tests.conftest import portal_browser
from kneadwell.portal.tests.helpers import ANSWERS
from kneadwell.reports.models import IssuedDocument

pytestmark = pytest.mark.django_db
SEEN_POST = (302, 404, 404, 302, 302, 302)  # front desk sees changed contact details


@pytest.fixture
def records(client_record):
    intake = PortalIntake.objects.create(client=client_record, data={"problem": {}})
    change = DetailsChange.objects.create(client=client_record, changes={"Phone": ["", "1"]})
    asked = CorrectionRequest.objects.create(client=client_record, text="Fix my name")
    return {"intake": intake, "change": change, "correction": asked}


def test_the_clinics_portal_pages_follow_the_access_matrix(people, client_record, records):
    routes = [
        Route(
            "intake",
            lambda c: reverse("portal_staff:intake", args=[c.pk, records["intake"].pk]),
            CLINICAL_PAGE,
        ),
        Route(
            "correction",
            lambda c: reverse("portal_staff:correction", args=[c.pk, records["correction"].pk]),
            CLINICAL_PAGE,
        ),
        Route(
            "change seen",
            lambda c: reverse("portal_staff:change_seen", args=[c.pk, records["change"].pk]),
            SEEN_POST,
            method="post",
        ),
    ]

    def unsee():
        DetailsChange.objects.filter(pk=records["change"].pk).update(seen_at=None)

    for route in routes:
        check_access(people, route, client_record, reset=unsee)


def test_another_clients_records_under_this_clients_address_are_404(
    therapist, owner, records, other_account
):
    other = other_account.client
    other.therapists.add(therapist)
    for person in (therapist, owner):
        browser = logged_in(person)
        for url in (
            reverse("portal_staff:intake", args=[other.pk, records["intake"].pk]),
            reverse("portal_staff:correction", args=[other.pk, records["correction"].pk]),
        ):
            assert browser.get(url).status_code == 404, url
        url = reverse("portal_staff:change_seen", args=[other.pk, records["change"].pk])
        assert browser.post(url).status_code == 404


def test_a_portal_session_never_opens_a_staff_page(account, records):
    browser = portal_browser(account)
    client = account.client
    for url in (
        reverse("clients:detail", args=[client.pk]),
        reverse("portal_staff:intake", args=[client.pk, records["intake"].pk]),
        reverse("portal_staff:correction", args=[client.pk, records["correction"].pk]),
    ):
        response = browser.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), (
            url
        )


def test_a_client_sees_only_their_own_record(account, other_account, elsewhere_account):
    for neighbour in (other_account, elsewhere_account):
        theirs = portal_browser(neighbour)
        theirs.post(
            reverse("portal:intake_step", args=["problem"]),
            {**ANSWERS["problem"], "complaint": f"Secret of {neighbour.client.given_names}"},
        )
        theirs.post(reverse("portal:correction"), {"text": f"Note of {neighbour.client.pk}"})
        IssuedDocument.issue(
            neighbour.client, "referral", f"Secret of {neighbour.client.given_names}",
            b"%PDF-1 theirs", by=neighbour.client.therapists.get(), method="download",
        ).share(by=neighbour.client.therapists.get())  # fmt: skip
    mine = portal_browser(account)
    pages = [
        reverse("portal:home"),
        reverse("portal:intake"),
        reverse("portal:intake_step", args=["problem"]),
        reverse("portal:checkin"),
        reverse("portal:questionnaires"),
        reverse("portal:progress"),
        reverse("portal:care"),
        reverse("portal:book"),
        reverse("portal:shared_documents"),
        reverse("portal:details"),
    ]
    for url in pages:
        page = mine.get(url).content.decode()
        assert "Secret of" not in page and "Note of" not in page, url
    assert mine.get(reverse("portal:questionnaire", args=[1])).status_code == 404
    assert mine.get(reverse("portal:shared_document", args=[1])).status_code == 404
    assert PortalIntake.objects.filter(client=account.client).count() == 0


def test_portal_addresses_carry_no_record_ids_to_probe():
    """Every client page is about the signed-in client; the only numbers in portal addresses
    are a questionnaire's or a shared document's place in the client's own list."""
    for pattern in urls.urlpatterns:
        assert "pk" not in str(pattern.pattern), pattern
