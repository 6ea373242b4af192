"""Importing a FHIR Bundle: Patient, Consents, Conditions and QuestionnaireResponses into a new
or matched client, after a preview; wrong codes or unknown resource types refuse the whole
bundle; our own export imported into an empty clinic exports the same resources (ids aside)."""

import copy
import json
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kneadwell.accounts.models import Clinic, Role
from kneadwell.audit.models import AccessLogEntry
from kneadwell.clients.models import Client
from kneadwell.conftest import Route, check_access, logged_in, make_member
from kneadwell.interop import importer
from kneadwell.interop.bundle import client_bundle
from kneadwell.measures.models import Response
from kneadwell.measures.tests.helpers import record_series
from kneadwell.screening.models import Intake

URL = "/clients/import/"
KEPT = {"Patient", "Consent", "Condition", "QuestionnaireResponse", "Observation"}


@pytest.fixture
def source(client_record, therapist):
    """A client with a phone, an intake naming chronic low back pain, and scored responses."""
    Client.objects.filter(pk=client_record.pk).update(
        phone="0113 496 0000",
        city="Leeds",
        consent_data=True,
        consent_data_date=date(2026, 8, 1),
        consent_share=True,
        consent_share_date=date(2026, 8, 2),
        physician_name="Dr Lee",
        emergency_name="Byron",
        emergency_relationship="Father",
        emergency_phone="0113 1",
    )
    client_record.refresh_from_db()
    Intake.objects.create(client=client_record, answers={"conditions": ["chronic_lbp"]},
                          created_by=therapist)  # fmt: skip
    record_series(client_record, "rmdq", [{str(n): int(n <= 10) for n in range(1, 25)}])
    record_series(client_record, "nprs", [{"1": 6}], recall="now")
    record_series(client_record, "psfs", [{"1": 4}], activities={"1": "Gardening"})
    return client_record


def _kept(bundle):
    """The importable resources, without ids and references to them (ids aside)."""
    found = []
    for entry in bundle["entry"]:
        resource = copy.deepcopy(entry["resource"])
        if resource["resourceType"] not in KEPT:
            continue
        resource.pop("id")
        for key in ("subject", "patient", "organization", "derivedFrom", "managingOrganization"):
            resource.pop(key, None)
        found.append(resource)
    return found


def _importable(bundle):
    bundle = copy.deepcopy(bundle)
    bundle["entry"] = [e for e in bundle["entry"] if e["resource"]["resourceType"] in KEPT]
    return bundle


def test_export_import_into_an_empty_clinic_export_gives_the_same_resources(source, therapist):
    exported = client_bundle(source)
    empty = Clinic.objects.create(name="Empty Clinic")
    owner = make_member(empty, "owner@empty.test", Role.OWNER)
    preview = importer.read(_importable(exported), Client.objects.filter(clinic=empty))
    assert preview.ok, preview.problems
    imported = preview.apply(empty, owner)
    assert imported.clinic == empty and imported.pk != source.pk
    again = client_bundle(imported)
    assert _kept(again) == _kept(exported)
    assert Response.objects.filter(client=imported).count() == 3
    assert (imported.consent_data, imported.consent_data_date) == (True, date(2026, 8, 1))
    assert (imported.consent_share, imported.consent_share_date) == (True, date(2026, 8, 2))
    assert not imported.consent_treatment


def test_a_matching_client_gets_the_records_not_a_twin(source, therapist):
    bundle = _importable(client_bundle(source))
    preview = importer.read(bundle, Client.objects.filter(clinic=source.clinic))
    assert preview.match == source
    preview.apply(source.clinic, therapist)
    assert Client.objects.filter(family_name="Lovelace").count() == 1
    assert source.measure_responses.count() == 6


def test_an_unknown_icd_code_refuses_everything(source, clinic):
    bundle = _importable(client_bundle(source))
    for entry in bundle["entry"]:
        if entry["resource"]["resourceType"] == "Condition":
            entry["resource"]["code"]["coding"] = [
                {"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "Z99.89"}
            ]
    preview = importer.read(bundle, Client.objects.none())
    assert not preview.ok
    assert any(
        "no ICD-10-CM code Kneadwell knows (codes given: Z99.89)" in p for p in preview.problems
    )
    with pytest.raises(ValueError, match="nothing can be imported"):
        preview.apply(clinic, None)


def test_unknown_resource_types_and_bad_answers_are_named(source):
    bundle = _importable(client_bundle(source))
    bundle["entry"].append({"resource": {"resourceType": "MedicationRequest", "id": "m1"}})
    response = next(e["resource"] for e in bundle["entry"]
                    if e["resource"]["resourceType"] == "QuestionnaireResponse")  # fmt: skip
    response["item"][0]["answer"] = [{"valueInteger": 99}]
    problems = importer.read(bundle, Client.objects.none()).problems
    assert any("(MedicationRequest): Kneadwell imports only Patient" in p for p in problems)
    assert any("QuestionnaireResponse" in p and "99" in p for p in problems), problems


def test_the_page_previews_then_imports_and_logs(source, therapist, clinic):
    bundle = _importable(client_bundle(source))
    Client.objects.filter(pk=source.pk).update(family_name="Byron")  # no match now
    browser = logged_in(therapist)
    upload = SimpleUploadedFile("record.json", json.dumps(bundle).encode(), "application/json")
    page = browser.post(URL, {"file": upload})
    assert page.status_code == 200
    text = page.content.decode()
    assert "a new client record" in text and "Chronic low back pain" in text
    assert Client.objects.count() == 1  # the preview writes nothing
    response = browser.post(URL, {"bundle": json.dumps(bundle), "confirm": "1"})
    new = Client.objects.get(family_name="Lovelace")
    assert response["Location"] == new.get_absolute_url()
    assert therapist in new.therapists.all()
    entry = AccessLogEntry.objects.filter(client_id=new.pk).get()
    assert (entry.action, entry.what) == ("create", "record imported from FHIR")


def test_the_page_says_what_is_wrong_and_imports_nothing(therapist):
    browser = logged_in(therapist)
    upload = SimpleUploadedFile("x.json", b"{not json", "application/json")
    response = browser.post(URL, {"file": upload})
    assert response.status_code == 422 and "The file is not JSON." in response.content.decode()
    bad = {"resourceType": "Bundle", "entry": [{"resource": {"resourceType": "Patient"}}]}
    response = browser.post(URL, {"bundle": json.dumps(bad), "confirm": "1"})
    assert response.status_code == 422
    assert "needs a family name and a given name" in response.content.decode()
    assert not Client.objects.exists()


def test_only_clinical_staff_import(people):
    check_access(people, Route("import", lambda r: URL, (302, 200, 200, 403, 200, 200)), None)


def test_a_therapist_never_learns_of_another_therapists_client(colleague, source):
    bundle = _importable(client_bundle(source))
    page = logged_in(colleague).post(URL, {"bundle": json.dumps(bundle)}).content.decode()
    assert "a new client record" in page
    assert f"client no. {source.pk}" not in page
