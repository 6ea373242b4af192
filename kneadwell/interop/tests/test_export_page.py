"""The owner's export page: the worker writes the zip, it is offered once, then deleted."""

import io
import zipfile

import pytest
from django.urls import reverse

from kneadwell.audit.models import AccessLogEntry
from kneadwell.conftest import OWNER_PAGE, Route, check_access, logged_in
from kneadwell.interop import tasks


@pytest.fixture(autouse=True)
def _data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path


def test_the_owner_exports_and_downloads_once(owner, client_record, clinic):
    browser = logged_in(owner)
    assert browser.post(reverse("interop:export")).status_code == 302
    (token,) = tasks.ready(clinic.pk)  # the worker (run at once in tests) wrote it
    page = browser.get(reverse("interop:export")).content.decode()
    url = reverse("interop:export_download", args=[token])
    assert url in page
    response = browser.get(url)
    assert response["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert {"manifest.json", "SHA256SUMS", "Patient.ndjson"} <= set(names)
    assert browser.get(url).status_code == 404  # offered once, then deleted
    assert tasks.ready(clinic.pk) == []
    actions = set(AccessLogEntry.objects.values_list("what", "client_id"))
    assert ("clinic export (FHIR and PDFs)", client_record.pk) in actions
    assert ("clinic export downloaded", None) in actions


def test_a_made_up_token_is_not_found(owner):
    browser = logged_in(owner)
    for token in ["nothing-here", "..%2F..%2Fsecret_key"]:
        assert browser.get(f"/clinic/export/{token}/").status_code == 404


def test_only_the_owner_exports(people, client_record):
    check_access(people, Route("export", lambda r: reverse("interop:export"), OWNER_PAGE), None)
