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
    (waiting,) = tasks.waiting(clinic.pk)  # the worker (run at once in tests) wrote it
    token = waiting.token
    page = browser.get(reverse("interop:export")).content.decode()
    url = reverse("interop:export_download", args=[token])
    assert url in page
    response = browser.get(url)
    assert response["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert {"manifest.json", "SHA256SUMS", "Patient.ndjson"} <= set(names)
    again = browser.get(url, follow=True)  # offered once, then deleted: said in words
    assert again.redirect_chain[-1][0] == reverse("interop:export")
    assert "already downloaded, and so deleted" in again.content.decode()
    assert tasks.waiting(clinic.pk) == []
    actions = set(AccessLogEntry.objects.values_list("what", "client_id"))
    assert ("clinic export (FHIR and PDFs)", client_record.pk) in actions
    assert ("clinic export downloaded", None) in actions


def test_a_made_up_token_finds_nothing(owner, settings, tmp_path):
    (tmp_path / "secret_key").write_text("never served")
    browser = logged_in(owner)
    for token in ["nothing-here", "..%2F..%2Fsecret_key"]:
        response = browser.get(f"/clinic/export/{token}/")
        assert response.status_code in (302, 404)
        assert b"never served" not in response.content


def test_a_second_press_while_one_is_written_starts_nothing(owner, clinic, monkeypatch):
    """The walk-through pressed Start twice and got two full exports at once."""
    queued = []
    monkeypatch.setattr(tasks, "export_for_download", lambda *args: queued.append(args))
    browser = logged_in(owner)
    browser.post(reverse("interop:export"))
    page = browser.post(reverse("interop:export"), follow=True).content.decode()
    assert len(queued) == 1
    assert "An export is already being written: nothing new was started." in page
    assert "is being written; it appears below when ready" in page
    assert "Start an export" not in page


def test_a_lost_export_does_not_block_the_next(owner, clinic, monkeypatch):
    import os
    import time

    monkeypatch.setattr(tasks, "export_for_download", lambda *args: None)
    assert tasks.start_export(clinic, owner) is not None
    (mark,) = tasks.exports_dir(clinic.pk).glob(".*.pending")
    old = time.time() - (tasks.PENDING_HOURS * 3600 + 60)
    os.utime(mark, (old, old))  # the worker stopped hours ago
    assert tasks.in_progress(clinic.pk) is None
    assert tasks.start_export(clinic, owner) is not None


def test_the_waiting_export_says_when_it_was_written_and_its_size(owner, clinic):
    browser = logged_in(owner)
    browser.post(reverse("interop:export"))
    page = browser.get(reverse("interop:export")).content.decode()
    assert "Download the export written" in page and "(zip, " in page
    assert tasks.in_progress(clinic.pk) is None  # done: the mark is gone


def test_only_the_owner_exports(people, client_record):
    check_access(people, Route("export", lambda r: reverse("interop:export"), OWNER_PAGE), None)
