"""The letters and reports the clinic shares: listed in the portal, downloaded as the exact
stored bytes (never a new rendering), each download logged with the client as actor; withdrawn
ones and other clients' are not found."""

import hashlib

import pytest
from django.urls import reverse

from kneadwell.audit.models import AccessLogEntry, Action, Channel
from kneadwell.portal import care
from kneadwell.portal.tests.conftest import portal_browser
from kneadwell.reports.models import IssuedDocument

pytestmark = pytest.mark.django_db
LIST = reverse("portal:shared_documents")


def issue(client, therapist, title, content):
    return IssuedDocument.issue(client, "progress", title, content, by=therapist, method="download")


def test_nothing_shared_shows_nothing(account, therapist):
    issue(account.client, therapist, "Progress report to the physician", b"%PDF-1 a")
    browser = portal_browser(account)
    assert "Letters and reports" not in browser.get(reverse("portal:care")).content.decode()
    assert "has not shared any" in browser.get(LIST).content.decode()
    assert browser.get(reverse("portal:shared_document", args=[1])).status_code == 404


def test_a_shared_document_downloads_as_the_stored_bytes_and_is_logged(account, therapist):
    content = b"%PDF-1.4 exactly what the physician got \x00\xff"
    doc = issue(account.client, therapist, "Progress report to the physician", content)
    doc.share(by=therapist)
    browser = portal_browser(account)
    assert "Your letters and reports" in browser.get(reverse("portal:care")).content.decode()
    page = browser.get(LIST).content.decode()
    assert "Progress report to the physician" in page
    (letter,) = care.shared_letters(account.client)
    assert letter.url == reverse("portal:shared_document", args=[1])
    before = AccessLogEntry.objects.count()
    for _ in range(2):
        response = browser.get(letter.url)
        assert response.status_code == 200 and response.content == content
        assert response["X-Content-SHA256"] == hashlib.sha256(content).hexdigest()
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == f'attachment; filename="{doc.filename}"'
        assert "no-store" in response["Cache-Control"]
    downloads = AccessLogEntry.objects.order_by("id")[before:]
    exports = [e for e in downloads if e.action == Action.EXPORT]
    assert len(exports) == 2
    assert all(e.channel == Channel.PORTAL and e.user_id is None for e in exports)
    assert all(e.client_id == account.client.pk for e in exports)


def test_a_withdrawn_document_is_gone_from_the_portal(account, therapist):
    doc = issue(account.client, therapist, "Discharge summary", b"%PDF-1 d")
    doc.share(by=therapist)
    browser = portal_browser(account)
    url = reverse("portal:shared_document", args=[1])
    assert browser.get(url).status_code == 200
    doc.withdraw(by=therapist)
    assert browser.get(url).status_code == 404
    assert "Discharge summary" not in browser.get(LIST).content.decode()


def test_numbers_follow_the_order_of_sharing_and_the_list_shows_newest_first(account, therapist):
    first = issue(account.client, therapist, "Referral letter", b"%PDF-1 r")
    second = issue(account.client, therapist, "Progress report", b"%PDF-1 p")
    issue(account.client, therapist, "Not shared", b"%PDF-1 n")
    second.share(by=therapist)
    first.share(by=therapist)
    letters = care.shared_letters(account.client)
    assert [(x.number, x.title) for x in letters] == [
        (2, "Referral letter"),
        (1, "Progress report"),
    ]
    browser = portal_browser(account)
    assert browser.get(reverse("portal:shared_document", args=[1])).content == b"%PDF-1 p"
    assert browser.get(reverse("portal:shared_document", args=[2])).content == b"%PDF-1 r"
    assert browser.get(reverse("portal:shared_document", args=[3])).status_code == 404
    assert browser.get(reverse("portal:shared_document", args=[0])).status_code == 404


def test_other_clients_shared_documents_are_never_reached(
    account, other_account, elsewhere_account, therapist, outsider
):
    issue(other_account.client, therapist, "Grace's letter", b"%PDF-1 g").share(by=therapist)
    issue(elsewhere_account.client, outsider, "Mary's letter", b"%PDF-1 m").share(by=outsider)
    browser = portal_browser(account)
    assert care.shared_letters(account.client) == []
    assert browser.get(reverse("portal:shared_document", args=[1])).status_code == 404
    page = browser.get(LIST).content.decode()
    assert "Grace" not in page and "Mary" not in page


def test_signed_out_the_download_asks_to_sign_in(account, therapist):
    from django.test import Client as HttpClient

    issue(account.client, therapist, "Referral letter", b"%PDF-1 r").share(by=therapist)
    response = HttpClient().get(reverse("portal:shared_document", args=[1]))
    assert response.status_code == 302 and b"PDF" not in response.content
