"""The client downloads their own whole record as a PDF and as a FHIR Bundle: logged as an
export with the client as actor, as an attachment, never cached, no health data in the URL, and
only their own."""

import io
import json

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from pypdf import PdfReader

from kneadwell.audit.models import AccessLogEntry, Action, Channel
from kneadwell.portal.tests.conftest import portal_browser

pytestmark = pytest.mark.django_db
PDF = reverse("portal:record_pdf")
FHIR = reverse("portal:record_fhir")


def _exports(before: int) -> list:
    entries = AccessLogEntry.objects.order_by("id")[before:]
    return [e for e in entries if e.action == Action.EXPORT]


def test_the_details_page_offers_both(account):
    page = portal_browser(account).get(reverse("portal:details")).content.decode()
    assert f'href="{PDF}"' in page and f'href="{FHIR}"' in page
    assert "ask the clinic above" not in page
    assert str(account.client.pk) not in PDF + FHIR


def test_the_pdf_is_the_clients_record(account):
    before = AccessLogEntry.objects.count()
    response = portal_browser(account).get(PDF)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Lovelace" in text and "Ada" in text
    [entry] = _exports(before)
    assert entry.channel == Channel.PORTAL and entry.user_id is None
    assert entry.client_id == account.client.pk


def test_the_fhir_bundle_holds_the_patient(account):
    before = AccessLogEntry.objects.count()
    response = portal_browser(account).get(FHIR)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    bundle = json.loads(response.content)
    assert bundle["resourceType"] == "Bundle" and bundle["type"] in ("collection", "document")
    patients = [
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient"
    ]
    assert len(patients) == 1
    assert patients[0]["name"][0]["family"] == "Lovelace"
    [entry] = _exports(before)
    assert entry.channel == Channel.PORTAL and entry.client_id == account.client.pk


def test_another_client_gets_only_their_own(account, other_account):
    browser = portal_browser(other_account)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(browser.get(PDF).content)).pages)
    assert "Hopper" in text and "Lovelace" not in text
    body = browser.get(FHIR).content.decode()
    assert "Hopper" in body and "Lovelace" not in body


def test_signed_out_there_is_nothing_to_download(account):
    before = AccessLogEntry.objects.count()
    for url in (PDF, FHIR):
        response = HttpClient().get(url)
        assert response.status_code == 302 and "sign-in" in response.url
    assert _exports(before) == []
