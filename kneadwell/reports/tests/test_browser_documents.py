"""Issuing a PDF to download in real Chromium: the press lands on the client's Documents list,
which says so and starts the download of the stored file; pressing again cannot re-issue."""

import pytest
from django.urls import reverse

from kneadwell.conftest import PASSWORD, sign_in
from kneadwell.reports.models import IssuedDocument
from kneadwell.reports.tests.document_helpers import reported_course

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_issuing_a_download_lands_on_the_documents_list_with_the_file(
    page, client_record, therapist
):
    reported_course(client_record, therapist)
    sign_in(page, therapist.email, PASSWORD)
    page.goto(reverse("reports:document_new", args=[client_record.pk, "progress"]))
    page.get_by_label("Download the PDF").check()
    with page.expect_download() as download:
        page.get_by_role("button", name="Issue the PDF").click()
    issued = IssuedDocument.objects.get()
    with open(download.value.path(), "rb") as saved:
        assert saved.read() == issued.content()
    assert page.url.endswith(reverse("reports:documents", args=[client_record.pk]))
    page.get_by_text("Progress report issued (downloaded).").wait_for()
    assert page.get_by_role("link", name="download the PDF").count() == 1
    page.reload()  # the download starts once, never issues again
    assert page.get_by_text("Your download starts by itself").count() == 0
    assert IssuedDocument.objects.count() == 1
