"""`kneadwell export` and `kneadwell import`: the Demo Clinic out as Bulk Data NDJSON with its
PDFs and checksums, back into an empty clinic, and out again."""

import io
import json
import re
import stat
from datetime import date

import pytest
from fhir.resources.R4B.bundle import Bundle as ResourcesBundle
from fhirclient.models.bundle import Bundle as ClientBundle
from PIL import Image

from kneadwell.accounts.models import Clinic, Role
from kneadwell.analytics.models import OutcomeSettings
from kneadwell.appointments.models import (
    Appointment,
    ClinicCalendar,
    Status,
    TimeOff,
    WorkingHours,
)
from kneadwell.audit.models import AccessLogEntry
from kneadwell.cli import main
from kneadwell.clients.models import Client
from kneadwell.conftest import make_member
from kneadwell.demo.clinic import create_demo
from kneadwell.interop.bundle import TYPES
from kneadwell.interop.export import checksums, export_clinic, verify
from kneadwell.interop.tests.helpers import empty_database
from kneadwell.knowledge.loader import load_knowledge
from kneadwell.knowledge.models import RuleAdjustment
from kneadwell.measures.models import InstrumentSetting, Response
from kneadwell.measures.tests.helpers import record_series
from kneadwell.plans.models import PlanVersion
from kneadwell.portal.models import PortalAccount, SignInToken
from kneadwell.reports import documents
from kneadwell.reports.models import IssuedDocument, Letterhead
from kneadwell.reports.tests.document_helpers import pdf_text
from kneadwell.screening.models import Intake, Screening
from kneadwell.visits.models import Addendum, Visit, VisitStatus

MANIFEST_TIME = "transactionTime"  # when the export ran: the one value that differs


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 2), (28, 93, 153)).save(out, "PNG")
    return out.getvalue()


PNG = _png()


def _lines(path):
    return [json.loads(line) for line in path.read_text().splitlines()]


def _differences(first, second) -> list[str]:
    """Every file of either export that is not byte for byte the same in the other; the
    manifest is compared without its transaction time, and a notes PDF without the client's
    record number when the bytes differ (SHA256SUMS then without that file's line)."""
    names = {p.relative_to(run).as_posix() for run in (first, second) for p in run.rglob("*")}
    differ, renumbered = [], set()
    for name in sorted(names - {"SHA256SUMS"}):
        a, b = first / name, second / name
        if a.is_dir() and b.is_dir():
            continue
        if not (a.is_file() and b.is_file()):
            differ.append(f"{name} (only in one)")
        elif name == "manifest.json":
            ma, mb = json.loads(a.read_text()), json.loads(b.read_text())
            assert ma.pop(MANIFEST_TIME) != "" and mb.pop(MANIFEST_TIME) != ""
            if ma != mb:
                differ.append(name)
        elif name.startswith("notes/") and a.read_bytes() != b.read_bytes():
            # A notes PDF prints the client's record number, which is the new installation's.
            renumbered.add(name)
            if _numberless(a) != _numberless(b):
                differ.append(name)
        elif a.read_bytes() != b.read_bytes():
            differ.append(name)
    sums = [
        [line for line in (run / "SHA256SUMS").read_text().splitlines()
         if line.split("  ", 1)[1] not in renumbered]
        for run in (first, second)
    ]  # fmt: skip
    if sums[0] != sums[1]:
        differ.append("SHA256SUMS")
    return differ


def _numberless(path) -> str:
    return re.sub(r"client no\. \d+", "client no. #", pdf_text(path.read_bytes()))


def _more_of_everything(clinic):
    """What the demo lacks: a logo, an addendum, a draft (of a booked appointment), documents
    printed and emailed, every appointment status, a cancellation with its reason, an online
    booking, the clinic's own safety-rule, missing-item and outcome settings."""
    owner = clinic.memberships.filter(role="owner").first().user
    rule = sorted(load_knowledge().rules)[0]
    RuleAdjustment.objects.create(
        clinic=clinic, rule_id=rule, enabled=False, note="Our insurer's policy.", changed_by=owner
    )
    InstrumentSetting.objects.create(clinic=clinic, instrument="ndi", missing_rule="complete")
    accounts = list(PortalAccount.objects.filter(client__clinic=clinic).order_by("pk"))
    accounts[0].record_sign_in()
    accounts[-1].revoke()
    OutcomeSettings.objects.create(clinic=clinic, dropout_weeks=12, min_group=20)
    client = clinic.clients.order_by("pk").first()
    Letterhead.objects.update_or_create(
        clinic=clinic,
        defaults={"address": "1 Main St", "logo": PNG, "logo_type": "image/png"},
    )
    signed = Visit.objects.filter(client__clinic=clinic, status=VisitStatus.SIGNED).first()
    Addendum.objects.create(visit=signed, author=owner, text="Phoned: soreness gone next day.")
    booked = (
        Appointment.objects.filter(clinic=clinic, status=Status.BOOKED, visit__isnull=True)
        .order_by("starts_at", "id")
        .last()
    )
    Visit.objects.create(
        clinic=clinic, client=booked.client, therapist=booked.therapist, client_report="Draft",
        appointment=booked,
    )  # fmt: skip
    rows = list(
        Appointment.objects.filter(clinic=clinic).exclude(pk=booked.pk).order_by("starts_at")
    )
    Appointment.objects.filter(pk=rows[0].pk).update(status=Status.NO_SHOW)
    Appointment.objects.filter(pk=rows[1].pk).update(
        status=Status.CANCELLED, cancel_reason="Car broke down", cancelled_by_client=True,
        cancelled_late=True, cancelled_at=rows[1].starts_at, cancelled_by=owner,
    )  # fmt: skip
    Appointment.objects.filter(pk=rows[2].pk).update(status=Status.ARRIVED)
    Appointment.objects.filter(pk=rows[-1].pk).update(booked_online=True)
    Client.objects.filter(pk=client.pk).update(
        consent_data=True, consent_data_date=date(2026, 1, 5), physician_name="Dr Rivera"
    )
    client.refresh_from_db()
    handout = documents.handout(clinic, next(iter(load_knowledge().handouts.values())))
    printed = documents.issue(handout, client, by=owner, method="print")
    emailed = documents.issue(
        handout, client, by=owner, method="email", recipient="Dr Rivera", to_email="dr@x.test"
    )
    return printed, emailed


def _import_into_empty_database(directory, owner_email, capsys) -> Clinic:
    """As on a new installation: an empty database, the owner created (with the email they had
    in the old clinic), then `kneadwell import`."""
    empty_database()
    fresh = Clinic.objects.create(name="Fresh Clinic")
    make_member(fresh, owner_email, Role.OWNER)
    assert main(["import", str(directory), "--as", owner_email]) == 0, capsys.readouterr()
    fresh.refresh_from_db()
    return fresh


def test_the_demo_clinic_goes_out_and_comes_back_the_same(db, tmp_path, capsys):
    clinic = create_demo().clinic
    printed, emailed = _more_of_everything(clinic)
    first = tmp_path / "first"
    export_clinic(clinic, first, notes=False)  # the notes' PDFs: the small clinic below

    # Bulk Data layout: a manifest naming one NDJSON file per type, with its count.
    manifest = json.loads((first / "manifest.json").read_text())
    for output in manifest["output"]:
        lines = _lines(first / output["url"])
        assert len(lines) == output["count"]
        assert {r["resourceType"] for r in lines} == {output["type"]}
    kinds = {o["type"] for o in manifest["output"]}
    assert set(TYPES) == kinds
    # Every resource parses in both libraries (as one collection Bundle).
    entries = [{"resource": r} for o in manifest["output"] for r in _lines(first / o["url"])]
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": entries}
    ResourcesBundle.model_validate(bundle)
    ClientBundle(bundle, strict=True)
    # The issued PDFs byte for byte where their DocumentReferences say.
    references = _lines(first / "DocumentReference.ndjson")
    assert [(first / r["content"][0]["attachment"]["url"]).read_bytes() for r in references] == [
        printed.content(),
        emailed.content(),
    ]
    # The calendar: every status in FHIR's words, the cancellation's reason, the visit's link.
    appointments = _lines(first / "Appointment.ndjson")
    assert {a["status"] for a in appointments} >= {
        "booked", "arrived", "fulfilled", "cancelled", "noshow"
    }  # fmt: skip
    reasons = [a["cancelationReason"]["text"] for a in appointments if "cancelationReason" in a]
    assert "Car broke down" in reasons
    names = {f"Appointment/{a['id']}" for a in appointments}
    linked = [e["appointment"][0]["reference"] for e in _lines(first / "Encounter.ndjson")
              if "appointment" in e]  # fmt: skip
    assert linked and set(linked) <= names
    counts = _counts(clinic)
    assert counts["visits of appointments"] and counts["calendar"] and counts["hours"]
    assert counts["rule adjustments"][0][:2] == (sorted(load_knowledge().rules)[0], False)
    assert counts["missing-item rules"] == [("ndi", "complete")]
    assert counts["outcome settings"] == [(12, 20)]
    portal = [json.loads(p["extension"][0]["valueString"]).get("portal_account")
              for p in _lines(first / "Patient.ndjson")]  # fmt: skip
    assert sum(a is not None for a in portal) == len(counts["portal accounts"]) >= 2
    assert all("generation" not in a for a in portal if a)  # and no link, code or session
    assert any(a[6] for a in counts["portal accounts"])  # one revoked
    assert any(a[4] for a in counts["portal accounts"])  # one signed in
    assert counts["time off"] and len(counts["types"]) == 3 and len(counts["rooms"]) == 2

    # Into an empty database, then out again: the same files.
    fresh = _import_into_empty_database(first, "owner@demo.kneadwell.test", capsys)
    assert fresh.name == "Demo Clinic"
    assert _counts(fresh) == counts
    assert not SignInToken.objects.exists()  # the clients sign in again with a new link
    second = tmp_path / "second"
    export_clinic(fresh, second, notes=False)
    assert _differences(first, second) == []


def _counts(clinic) -> dict:
    clients = Client.objects.filter(clinic=clinic)
    return {
        "clients": clients.count(),
        "people": sorted(clinic.memberships.values_list("user__email", "role")),
        "visits": Visit.objects.filter(client__in=clients).count(),
        "signed": Visit.objects.filter(client__in=clients, status=VisitStatus.SIGNED).count(),
        "addenda": Addendum.objects.filter(visit__client__in=clients).count(),
        "plan versions": PlanVersion.objects.filter(plan__client__in=clients).count(),
        "screenings": Screening.objects.filter(client__in=clients).count(),
        "responses": Response.objects.filter(client__in=clients).count(),
        "documents": IssuedDocument.objects.filter(client__in=clients).count(),
        "appointments": sorted(
            Appointment.objects.filter(clinic=clinic).values_list(
                "client__family_name", "therapist__email", "appointment_type__name", "room__name",
                "starts_at", "ends_at", "status", "booked_online", "cancel_reason",
                "cancelled_late", "cancelled_by_client", "booked_at",
            ),
            key=str,
        ),  # fmt: skip
        "visits of appointments": sorted(
            Visit.objects.filter(client__in=clients, appointment__isnull=False).values_list(
                "appointment__starts_at", "appointment__client__family_name"
            )
        ),
        "calendar": list(
            ClinicCalendar.objects.filter(clinic=clinic).values(
                *[f.name for f in ClinicCalendar._meta.concrete_fields][2:]
            )
        ),
        "types": sorted(clinic.appointment_types.values_list("name", "minutes", "colour",
                                                             "bookable_online", "is_active")),
        "rooms": sorted(clinic.rooms.values_list("name", "is_active")),
        "hours": sorted(WorkingHours.objects.filter(therapist__membership__clinic=clinic)
                        .values_list("therapist__email", "weekday", "starts", "ends",
                                     "break_starts", "break_ends")),
        "rule adjustments": list(
            clinic.rule_adjustments.values_list(
                "rule_id", "enabled", "tier", "max_pressure", "from_week", "note",
                "changed_by__email", "changed_at",
            )
        ),
        "missing-item rules": list(
            clinic.instrument_settings.values_list("instrument", "missing_rule")
        ),
        "outcome settings": list(
            OutcomeSettings.objects.filter(clinic=clinic).values_list("dropout_weeks", "min_group")
        ),
        "portal accounts": sorted(
            PortalAccount.objects.filter(client__in=clients).values_list(
                "client__family_name", "client__given_names", "invited_at", "invited_by__email",
                "first_sign_in_at", "last_sign_in_at", "revoked_at",
            ),
            key=str,
        ),
        "time off": sorted(TimeOff.objects.filter(therapist__membership__clinic=clinic)
                           .values_list("therapist__email", "starts_on", "ends_on", "note")),
    }  # fmt: skip


def test_a_small_clinic_comes_back_with_notes_and_logs(
    client_record, owner, therapist, tmp_path, capsys
):
    clinic = client_record.clinic
    # Two therapists whose row order is not their email order (the export's order).
    assert therapist.pk < owner.pk and owner.email < therapist.email
    client_record.therapists.add(owner)
    record_series(client_record, "nprs", [{"1": 6}, {"1": 3}], recall="now")
    visit = Visit.objects.create(
        clinic=clinic, client=client_record, therapist=therapist, nprs=4, client_report="Sore",
        treatment=[{"technique": "swedish", "minutes": 10}],
    )  # fmt: skip
    visit.sign(therapist)
    Addendum.objects.create(visit=visit, author=therapist, text="Better the next day.")
    first = tmp_path / "first"
    assert main(["export", "--clinic", clinic.name, "--to", str(first)]) == 0
    assert "clients" in capsys.readouterr().err  # the progress bar
    notes = sorted((first / "notes").glob("*.pdf"))
    assert notes and "Better the next day." in pdf_text(notes[0].read_bytes())
    assert verify(first) == []
    assert stat.S_IMODE((first / "Patient.ndjson").stat().st_mode) == 0o600
    logged = AccessLogEntry.objects.filter(action="export", what="clinic export (FHIR and PDFs)")
    assert logged.count() == clinic.clients.count()
    signed_at = visit.signed_at

    fresh = _import_into_empty_database(first, owner.email, capsys)
    back = Visit.objects.get(client__clinic=fresh)
    assert back.status == VisitStatus.SIGNED and back.signed_at == signed_at
    assert back.signed_by.email == therapist.email and not back.signed_by.has_usable_password()
    imported = AccessLogEntry.objects.filter(action="create", what="clinic import (FHIR and PDFs)")
    assert imported.count() == 1 and imported.get().client_id == back.client_id
    second = tmp_path / "second"
    assert main(["export", "--clinic", fresh.name, "--to", str(second)]) == 0
    assert _differences(first, second) == []


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


def _edited(directory, name, change):
    """An export with one file changed and its checksums written again (so that the import
    reaches its own checks)."""
    path = directory / name
    path.write_text(change(path.read_text()))
    (directory / "SHA256SUMS").write_text(checksums(directory))


@pytest.fixture
def exported(client_record, owner, therapist, tmp_path):
    """A small clinic's export, and an empty installation whose owner runs the import."""
    Intake.objects.create(client=client_record, answers={"conditions": ["chronic_lbp"]},
                          created_by=therapist)  # fmt: skip
    visit = Visit.objects.create(clinic=client_record.clinic, client=client_record,
                                 therapist=therapist, nprs=3)  # fmt: skip
    visit.sign(therapist)
    export_clinic(client_record.clinic, tmp_path / "out", notes=False)
    empty_database()
    fresh = Clinic.objects.create(name="Fresh")
    make_member(fresh, "owner@fresh.test", Role.OWNER)
    return tmp_path / "out"


def _refused(directory, capsys) -> str:
    assert main(["import", str(directory), "--as", "owner@fresh.test"]) == 1
    err = capsys.readouterr().err
    assert "Nothing was imported" in err
    assert not Client.objects.exists() and not Visit.objects.exists()
    assert Clinic.objects.get().name == "Fresh"  # not even the clinic's details
    return err


def test_an_unknown_code_refuses_the_whole_import(exported, capsys):
    _edited(exported, "Condition.ndjson", lambda t: t.replace("M54.5", "X99."))
    _edited(exported, "Condition.ndjson", lambda t: t.replace('"chronic_lbp"', '"nothing"'))
    assert "no ICD-10-CM code Kneadwell knows (codes given: X99.0" in _refused(exported, capsys)


def test_an_unknown_resource_type_refuses_the_whole_import(exported, capsys):
    (exported / "Medication.ndjson").write_text('{"resourceType":"Medication","id":"m-1"}\n')
    manifest = json.loads((exported / "manifest.json").read_text())
    manifest["output"].append({"type": "Medication", "url": "Medication.ndjson", "count": 1})
    (exported / "manifest.json").write_text(json.dumps(manifest))
    _edited(exported, "Medication.ndjson", lambda t: t)
    assert "Medication.ndjson: Kneadwell does not read Medication" in _refused(exported, capsys)


def test_a_file_the_manifest_does_not_name_refuses_the_import(exported, capsys):
    (exported / "Extra.ndjson").write_text("{}\n")
    _edited(exported, "Extra.ndjson", lambda t: t)
    assert "Extra.ndjson: the manifest does not name this file" in _refused(exported, capsys)


def test_an_unknown_field_in_a_record_refuses_the_import(exported, capsys):
    _edited(exported, "Encounter.ndjson", lambda t: t.replace('\\"nprs\\"', '\\"mood\\"'))
    err = _refused(exported, capsys)
    assert "Encounter encounter-1: unknown fields for Visit: mood" in err


def test_a_pain_rating_of_no_visit_refuses_the_import(exported, capsys):
    _edited(
        exported, "Observation.ndjson", lambda t: t.replace("Encounter/encounter-1", "Encounter/x")
    )
    assert "belongs to no Encounter of the export" in _refused(exported, capsys)


def test_a_document_whose_pdf_was_swapped_is_refused(client_record, owner, tmp_path, capsys):
    handout = documents.handout(
        client_record.clinic, next(iter(load_knowledge().handouts.values()))
    )
    documents.issue(handout, client_record, by=owner, method="print")
    out = tmp_path / "out"
    export_clinic(client_record.clinic, out, notes=False)
    empty_database()
    make_member(Clinic.objects.create(name="Fresh"), "owner@fresh.test", Role.OWNER)
    (pdf,) = (out / "documents").glob("*.pdf")
    pdf.write_bytes(pdf.read_bytes() + b"\n%changed")
    _edited(out, "Patient.ndjson", lambda t: t)
    assert "is not the document that was issued (its SHA-256 differs)" in _refused(out, capsys)


def test_someone_of_another_clinic_is_not_taken_over(exported, capsys, db):
    make_member(Clinic.objects.create(name="Elsewhere"), "tara@willow.test", Role.THERAPIST)
    err = _refused_anywhere(exported, capsys)
    assert "tara@willow.test already works at another clinic" in err


def _refused_anywhere(directory, capsys) -> str:
    assert main(["import", str(directory), "--as", "owner@fresh.test"]) == 1
    err = capsys.readouterr().err
    assert not Client.objects.exists()
    return err


def test_a_malformed_resource_is_refused_in_words_not_a_traceback(exported, capsys):
    _edited(
        exported,
        "Condition.ndjson",
        lambda t: t.replace('"subject":{"reference":"Patient/patient-1"}', '"subject":"x"'),
    )
    assert "The export is not as Kneadwell writes it" in _refused(exported, capsys)
