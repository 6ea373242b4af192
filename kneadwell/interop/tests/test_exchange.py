"""`kneadwell export` and `kneadwell import`: the Demo Clinic out as Bulk Data NDJSON with its
PDFs and checksums, back into an empty clinic, and out again."""

import json
import stat

import pytest
from fhir.resources.R4B.bundle import Bundle as ResourcesBundle
from fhirclient.models.bundle import Bundle as ClientBundle

from kneadwell.accounts.models import Clinic, Role
from kneadwell.audit.models import AccessLogEntry
from kneadwell.cli import main
from kneadwell.conftest import make_member
from kneadwell.demo.clinic import create_demo
from kneadwell.interop.export import export_clinic, verify
from kneadwell.knowledge.loader import load_knowledge
from kneadwell.measures.tests.helpers import record_series
from kneadwell.reports import documents
from kneadwell.reports.tests.document_helpers import pdf_text

# The resources the import takes back, compared file for file after the second export.
ROUND_TRIP = ("Patient.ndjson", "Consent.ndjson", "QuestionnaireResponse.ndjson")


def _lines(path):
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_the_demo_clinic_goes_out_and_comes_back_the_same(db, tmp_path, capsys):
    clinic = create_demo().clinic
    owner = clinic.memberships.filter(role="owner").first().user
    client = clinic.clients.order_by("pk").first()
    handout = documents.handout(clinic, next(iter(load_knowledge().handouts.values())))
    issued = documents.issue(handout, client, by=owner, method="print")
    first = tmp_path / "first"
    assert main(["export", "--clinic", clinic.name, "--to", str(first)]) == 0
    assert "clients" in capsys.readouterr().err  # the progress bar

    # Bulk Data layout: a manifest naming one NDJSON file per type, with its count.
    manifest = json.loads((first / "manifest.json").read_text())
    for output in manifest["output"]:
        lines = _lines(first / output["url"])
        assert len(lines) == output["count"]
        assert {r["resourceType"] for r in lines} == {output["type"]}
    kinds = {o["type"] for o in manifest["output"]}
    assert {"Patient", "Encounter", "Condition", "DocumentReference", "CarePlan"} <= kinds
    # Every resource parses in both libraries (as one collection Bundle).
    entries = [{"resource": r} for o in manifest["output"] for r in _lines(first / o["url"])]
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": entries}
    ResourcesBundle.model_validate(bundle)
    ClientBundle(bundle, strict=True)
    # The issued PDF byte for byte where its DocumentReference says; the signed notes as PDFs.
    (reference,) = _lines(first / "DocumentReference.ndjson")
    assert (first / reference["content"][0]["attachment"]["url"]).read_bytes() == issued.content()
    notes = sorted((first / "notes").glob("*.pdf"))
    assert notes and "Subjective" in pdf_text(notes[0].read_bytes())
    assert verify(first) == []
    assert stat.S_IMODE((first / "Patient.ndjson").stat().st_mode) == 0o600
    logged = AccessLogEntry.objects.filter(action="export", what="clinic export (FHIR and PDFs)")
    assert logged.count() == clinic.clients.count()

    # Into an empty clinic, then out again: the same files.
    fresh = Clinic.objects.create(name="Fresh Clinic")
    make_member(fresh, "owner@fresh.test", Role.OWNER)
    assert main(["import", str(first), "--as", "owner@fresh.test"]) == 0
    assert fresh.clients.count() == clinic.clients.count()
    second = tmp_path / "second"
    export_clinic(fresh, second, notes=False)
    for name in ROUND_TRIP:
        assert (second / name).read_bytes() == (first / name).read_bytes(), name
    scores = [
        [r for r in _lines(run / "Observation.ndjson") if r.get("derivedFrom")]
        for run in (first, second)
    ]
    assert scores[0] == scores[1]
    codes = [
        sorted(str((r["subject"], r["code"]["coding"])) for r in _lines(run / "Condition.ndjson"))
        for run in (first, second)
    ]
    assert codes[0] == codes[1]


def test_a_changed_file_fails_its_checksum_and_imports_nothing(client_record, tmp_path, capsys):
    record_series(client_record, "nprs", [{"1": 6}], recall="now")
    export_clinic(client_record.clinic, tmp_path / "out")
    path = tmp_path / "out" / "Patient.ndjson"
    path.write_text(path.read_text().replace("Lovelace", "Lovelock"))
    other = Clinic.objects.create(name="Fresh")
    make_member(other, "owner@fresh.test", Role.OWNER)
    assert main(["import", str(tmp_path / "out"), "--as", "owner@fresh.test"]) == 1
    assert "Patient.ndjson: its checksum does not match" in capsys.readouterr().err
    assert not other.clients.exists()


def test_it_refuses_a_directory_that_is_not_empty(client_record, tmp_path, capsys):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    name = client_record.clinic.name
    assert main(["export", "--clinic", name, "--to", str(tmp_path / "full")]) == 2
    assert "is not empty" in capsys.readouterr().err
    assert main(["export", "--clinic", "Nowhere", "--to", str(tmp_path / "n")]) == 2


@pytest.mark.parametrize("missing", ["someone@nowhere.test"])
def test_import_needs_a_person(missing, tmp_path, capsys, db):
    assert main(["import", str(tmp_path), "--as", missing]) == 2
    assert "No active person" in capsys.readouterr().err
