"""Sharing an issued document with the client: at issue time or afterwards from the client's
documents, withdrawn at will, each step logged; the document itself never changes."""

import pytest
from django.urls import reverse

from kneadwell.audit.models import AccessLogEntry, Action
from kneadwell.conftest import logged_in
from kneadwell.reports.models import DocumentShare, IssuedDocument

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4 the letter as it went out"


@pytest.fixture
def issued(client_record, therapist):
    return IssuedDocument.issue(
        client_record, "progress", "Progress report to the physician", PDF,
        by=therapist, method="download",
    )  # fmt: skip


def share_url(doc):
    return reverse("reports:document_share", args=[doc.client_id, doc.pk])


def test_sharing_at_issue_time(client_record, therapist):
    url = reverse("reports:document_new", args=[client_record.pk, "handout"])
    body = {"method": "download", "handout": "chronic_lbp_handout", "share_with_client": "on"}
    response = logged_in(therapist).post(url, body)
    assert response.status_code == 302
    doc = IssuedDocument.objects.get()
    share = doc.current_share()
    assert share is not None and share.shared_by == therapist
    assert AccessLogEntry.objects.filter(
        action=Action.UPDATE,
        what__contains=f"issued document {doc.pk} shared",
        user_id=therapist.pk,
    ).exists()


def test_issuing_without_the_tick_shares_nothing(client_record, therapist):
    url = reverse("reports:document_new", args=[client_record.pk, "handout"])
    logged_in(therapist).post(url, {"method": "download", "handout": "chronic_lbp_handout"})
    assert IssuedDocument.objects.get().current_share() is None


def test_share_and_withdraw_from_the_documents_page(issued, therapist, owner):
    documents = reverse("reports:documents", args=[issued.client_id])
    page = logged_in(therapist).get(documents).content.decode()
    assert "Share with the client" in page and "Stop sharing" not in page
    assert logged_in(therapist).post(share_url(issued), {"share": "share"}).status_code == 302
    logged_in(therapist).post(share_url(issued), {"share": "share"})  # twice: still one share
    assert DocumentShare.objects.current().count() == 1
    page = logged_in(owner).get(documents).content.decode()
    assert "Shared since" in page and "Stop sharing" in page
    logged_in(owner).post(share_url(issued), {"share": "withdraw"})
    share = DocumentShare.objects.get()
    assert share.withdrawn_by == owner and share.withdrawn_at is not None
    assert issued.current_share() is None
    # Sharing again starts a new share; the withdrawn one stays on record.
    issued.share(by=therapist)
    assert DocumentShare.objects.count() == 2 and DocumentShare.objects.current().count() == 1
    whats = list(AccessLogEntry.objects.filter(action=Action.UPDATE).values_list("what", flat=True))
    assert any("no longer shared" in w for w in whats)
    # The document itself is untouched.
    issued.refresh_from_db()
    assert issued.content() == PDF and issued.intact()


def test_only_post_changes_sharing(issued, therapist):
    assert logged_in(therapist).get(share_url(issued)).status_code == 405
    assert issued.current_share() is None


def test_another_clients_document_is_not_found_under_this_client(
    issued, therapist, clinic, client_record
):
    from kneadwell.conftest import make_client

    other = make_client(clinic, therapist, given_names="Grace")
    url = reverse("reports:document_share", args=[other.pk, issued.pk])
    assert logged_in(therapist).post(url, {"share": "share"}).status_code == 404
    assert issued.current_share() is None
