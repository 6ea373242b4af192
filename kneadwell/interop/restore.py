"""Reading a clinic export back into an empty clinic (`kneadwell import DIR`): every resource
type the export writes, one reader per type, all or nothing.

| Resource                     | Read back as                                                  |
|------------------------------|---------------------------------------------------------------|
| Organization                 | the clinic's name, settings and letterhead (logo included),   |
|                              | its calendar settings, appointment types and rooms, its own   |
|                              | safety-rule adjustments, missing-item rules and outcome       |
|                              | settings (these after the Practitioners they name)            |
| Practitioner                 | a person, matched by email, as a member without a usable      |
|                              | password (an owner sends them a reset to sign in), with their |
|                              | working hours (unless they have some already) and time off    |
| Patient                      | the client with every field and their therapists, and the     |
|                              | records FHIR has no resource for (intakes, screenings,        |
|                              | clearances, overrides, referrals and their tasks,             |
|                              | reassessments, discharges), and the parts apps above interop  |
|                              | register (records.client_part: the portal's access)           |
| Consent                      | checked by the importer; the consents are client fields       |
| Condition                    | checked by the importer; derived from plans and the intake    |
| Flag                         | checked; derived from the screenings and clearances           |
| CarePlan                     | a plan (first version) and each of its versions               |
| Appointment                  | a booked time as it was (status, cancellation, online or not, |
|                              | reminder state), without the clash check of a new booking     |
| Encounter                    | a visit note as it was: signed (author, time) or draft, with  |
|                              | its addenda and the appointment it records                    |
| Procedure, AdverseEvent,     | checked against their Encounter; derived from the visit note  |
| Observation (pain)           |                                                               |
| QuestionnaireResponse        | a response, scored again (importer)                           |
| Observation (score)          | recomputed from the response, never read                      |
| DocumentReference            | the issued PDF byte for byte, checked against its SHA-256     |

The Kneadwell fields of each record come from its record extension (records.py)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from kneadwell.accounts.models import Membership, Role, User
from kneadwell.analytics.models import OutcomeSettings
from kneadwell.appointments.models import (
    Appointment,
    AppointmentType,
    ClinicCalendar,
    Room,
    TimeOff,
    WorkingHours,
)
from kneadwell.audit.models import AccessLogEntry, Action, Channel
from kneadwell.clients.models import Client
from kneadwell.interop import importer, records
from kneadwell.interop.bundle import EXTRAS, TYPES
from kneadwell.interop.records import RecordError
from kneadwell.interop.resources import FINDINGS_SYSTEM
from kneadwell.knowledge.instruments.scoring import AnswerError
from kneadwell.knowledge.models import RuleAdjustment
from kneadwell.measures.models import InstrumentSetting, Response
from kneadwell.plans.models import Plan, PlanVersion
from kneadwell.reports.models import IssuedDocument, Letterhead
from kneadwell.visits.models import Addendum, Visit

MANIFEST = "manifest.json"
# Read by the importer for every client, as on the import page.
IMPORTER_TYPES = ("Patient", "Consent", "Condition", "QuestionnaireResponse")
# Derived from another record: only checked to belong to one of the client's visits.
FROM_VISITS = ("Procedure", "AdverseEvent")


# What a hand-edited or foreign file raises while it is read (RecordError is a ValueError).
MALFORMED = (KeyError, TypeError, ValueError, AttributeError, IndexError, StopIteration)


class Refused(importer.ImportRefused):
    """An export that cannot be imported; nothing was written."""


def load_directory(directory: Path) -> dict[str, list[dict[str, Any]]]:
    """Every resource of the export by type, in file order. Refuses a file the manifest does
    not name, a type Kneadwell does not write, or a line of another type."""
    try:
        manifest = json.loads((directory / MANIFEST).read_text())
    except ValueError as error:
        raise Refused([f"{MANIFEST}: not JSON ({error})."]) from error
    if not isinstance(manifest, dict):
        raise Refused([f"{MANIFEST}: not a Bulk Data manifest."])
    found: dict[str, list[dict[str, Any]]] = {kind: [] for kind in TYPES}
    problems = []
    named = set()
    for output in manifest.get("output") or []:
        kind, url = output.get("type"), output.get("url", "")
        named.add(url)
        if kind not in TYPES:
            problems.append(f"{url}: Kneadwell does not read {kind} resources.")
            continue
        for number, line in enumerate((directory / url).read_text().splitlines(), start=1):
            try:
                resource = json.loads(line)
            except ValueError:
                problems.append(f"{url} line {number}: not JSON.")
                continue
            if not isinstance(resource, dict) or resource.get("resourceType") != kind:
                problems.append(f"{url} line {number}: not a {kind}.")
                continue
            found[kind].append(resource)
    for path in sorted(directory.glob("*.ndjson")):
        if path.name not in named:
            problems.append(f"{path.name}: the manifest does not name this file.")
    if problems:
        raise Refused(problems)
    return found


def restore(directory: Path, found: dict[str, list[dict]], clinic, by, *, progress=None):
    """Write everything in `found` into `clinic` (which has no clients yet). Returns the
    clients. Any problem raises Refused and writes nothing."""
    if clinic.clients.exists():
        raise Refused([f"{clinic} already has clients; import a clinic into an empty one."])
    try:
        patients = _by_patient(found)
        previews = _check(found, patients, clinic)
    except MALFORMED as error:
        raise Refused([f"The export is not as Kneadwell writes it: {_words(error)}"]) from error
    names: dict[str, Any] = {}

    def resolve(name: str) -> Any:
        if name not in names:
            raise RecordError(f"it names {name}, which is not in the export")
        return names[name]

    clients = []
    try:
        with transaction.atomic():
            where = "Organization"
            for resource in found["Organization"]:
                _organization(clinic, resource, names)
            for number, resource in enumerate(found["Practitioner"], start=1):
                where = f"Practitioner.ndjson line {number}"
                names[f"Practitioner/{resource['id']}"] = _practitioner(clinic, resource)
            where = "Organization"
            for resource in found["Organization"]:
                _settings(clinic, resource, resolve)
            for number, (patient_id, group) in enumerate(patients.items(), start=1):
                where = f"Patient {patient_id}"
                client = _patient(clinic, group, previews[patient_id], resolve, by)
                for plan in group["CarePlan"]:
                    where = f"CarePlan {plan['id']}"
                    _care_plan(clinic, client, plan, names, resolve)
                where = f"Patient {patient_id}"
                _extras(client, group["Patient"][0], names, resolve)
                for booked in group["Appointment"]:
                    where = f"Appointment {booked['id']}"
                    names[f"Appointment/{booked['id']}"] = _appointment(
                        clinic, client, booked, resolve
                    )
                for encounter in group["Encounter"]:
                    where = f"Encounter {encounter['id']}"
                    names[f"Encounter/{encounter['id']}"] = _encounter(
                        clinic, client, encounter, resolve
                    )
                where = f"Patient {patient_id}"
                _responses(client, group, previews[patient_id], resolve, by)
                for reference in group["DocumentReference"]:
                    where = f"DocumentReference {reference['id']}"
                    _document(directory, clinic, client, reference, resolve)
                clients.append(client)
                if progress is not None:
                    progress(number, len(patients))
            log_import(clinic, by, clients)  # in the same transaction as what it records
    except (ValidationError, DatabaseError, AnswerError, *MALFORMED) as e:
        raise Refused([f"{where}: {_words(e)}"]) from e
    return clients


def log_import(clinic, user, clients, channel: str = Channel.CLI) -> None:
    """One access-log entry per client written by an import."""
    AccessLogEntry.extend(
        [
            AccessLogEntry(
                clinic_id=clinic.pk,
                user_id=getattr(user, "pk", None),
                user_email=getattr(user, "email", ""),
                client_id=client.pk,
                action=Action.CREATE,
                what="clinic import (FHIR and PDFs)",
                channel=channel,
            )
            for client in clients
        ]
    )


def _by_patient(found) -> dict[str, dict[str, list[dict]]]:
    """Each client's resources by type; a resource that names no Patient is refused."""
    patients: dict[str, dict[str, list[dict]]] = {}
    problems = []
    for resource in found["Patient"]:
        patients[resource.get("id")] = {kind: [] for kind in TYPES}
        patients[resource.get("id")]["Patient"].append(resource)
    for kind in TYPES[3:]:
        for resource in found[kind]:
            subject = resource.get("subject") or resource.get("patient") or _attendee(resource)
            patient = str(subject.get("reference", "")).removeprefix("Patient/")
            if patient not in patients:
                problems.append(f"{kind} {resource.get('id')}: it names no Patient of the export.")
                continue
            patients[patient][kind].append(resource)
    if len(found["Organization"]) != 1:
        problems.append(
            f"The export must hold one Organization; it holds {len(found['Organization'])}."
        )
    if problems:
        raise Refused(problems)
    return patients


def _check(found, patients, clinic) -> dict[str, importer.Preview]:
    """Everything the importer checks (names, codes, answers) and the rest, before writing."""
    problems = []
    previews = {}
    for patient_id, group in patients.items():
        entries = [r for kind in IMPORTER_TYPES for r in group[kind]]
        entries += [r for r in group["Observation"] if r.get("derivedFrom")]
        preview = importer.read(
            {"resourceType": "Bundle", "entry": [{"resource": r} for r in entries]},
            Client.objects.none(),
        )
        problems += [f"Patient {patient_id}: {p}" for p in preview.problems]
        previews[patient_id] = preview
        encounters = {f"Encounter/{e.get('id')}" for e in group["Encounter"]}
        visits = [r for kind in FROM_VISITS for r in group[kind]]
        visits += [r for r in group["Observation"] if not r.get("derivedFrom")]
        for resource in visits:
            if (resource.get("encounter") or {}).get("reference") not in encounters:
                problems.append(
                    f"{resource['resourceType']} {resource.get('id')}: it belongs to no "
                    "Encounter of the export."
                )
        for flag in group["Flag"]:
            codes = [
                c.get("code")
                for c in (flag.get("code") or {}).get("coding") or []
                if c.get("system") == FINDINGS_SYSTEM and c.get("code")
            ]
            if not codes:
                problems.append(f"Flag {flag.get('id')}: it names no Kneadwell safety finding.")
        for kind in ("Patient", "CarePlan", "Appointment", "Encounter", "DocumentReference"):
            for resource in group[kind]:
                try:
                    record = records.read_extension(resource)
                except RecordError as error:
                    record, problems = {}, [*problems, f"{kind} {resource.get('id')}: {error}"]
                if record is None and kind != "Patient":
                    problems.append(
                        f"{kind} {resource.get('id')}: it has no Kneadwell record; only an export "
                        "from Kneadwell can bring back plans, visits and documents."
                    )
    for resource in found["Practitioner"]:
        emails = [
            t.get("value") for t in resource.get("telecom") or [] if t.get("system") == "email"
        ]
        if not emails:
            problems.append(f"Practitioner {resource.get('id')}: it has no email address.")
            continue
        other = Membership.objects.filter(user__email__iexact=emails[0]).exclude(clinic=clinic)
        if other.exists():
            problems.append(
                f"Practitioner {resource.get('id')}: {emails[0]} already works at another clinic."
            )
    if problems:
        raise Refused(problems)
    return previews


def _attendee(resource) -> dict:
    """The Patient among an Appointment's participants ({} when there is none)."""
    for participant in resource.get("participant") or []:
        actor = participant.get("actor") or {}
        if str(actor.get("reference", "")).startswith("Patient/"):
            return actor
    return {}


def _organization(clinic, resource, names) -> None:
    record = records.read_extension(resource) or {}
    resolve = _no_links
    fields = records.load(type(clinic), record.get("clinic", {}), resolve)
    clinic.name = resource.get("name") or clinic.name
    for name, value in fields.items():
        setattr(clinic, name, value)
    clinic.full_clean()
    clinic.save()
    letterhead = Letterhead.for_clinic(clinic)
    for name, value in records.load(Letterhead, record.get("letterhead", {}), resolve).items():
        setattr(letterhead, name, value)
    letterhead.full_clean()
    letterhead.save()
    calendar = record.get("calendar")
    if calendar is not None:
        ClinicCalendar.objects.filter(clinic=clinic).delete()  # the new clinic's defaults
        settings = ClinicCalendar(clinic=clinic, **records.load(ClinicCalendar, calendar, resolve))
        settings.full_clean(exclude=["clinic"])
        settings.save()
    for model, key in ((AppointmentType, "appointment_types"), (Room, "rooms")):
        for row in record.get(key, []):
            row = dict(row)
            name = row.pop("key")
            instance = model(clinic=clinic, **records.load(model, row, resolve))
            instance.full_clean(exclude=["clinic"])
            instance.save()
            names[name] = instance.pk


def _settings(clinic, resource, resolve) -> None:
    """The clinic's safety-rule adjustments, missing-item rules and outcome settings."""
    record = records.read_extension(resource) or {}
    for model, key in (
        (RuleAdjustment, "rule_adjustments"),
        (InstrumentSetting, "instrument_settings"),
    ):
        for row in record.get(key, []):
            arguments = records.load(model, row, resolve)
            model(clinic=clinic, **arguments).full_clean(exclude=["clinic", "changed_by"])
            records.create(model, arguments, clinic=clinic)
    outcomes = record.get("outcome_settings")
    if outcomes is not None:
        OutcomeSettings.objects.filter(clinic=clinic).delete()  # the new clinic's defaults
        arguments = records.load(OutcomeSettings, outcomes, resolve)
        OutcomeSettings(clinic=clinic, **arguments).full_clean(exclude=["clinic"])
        records.create(OutcomeSettings, arguments, clinic=clinic)


def _practitioner(clinic, resource) -> int:
    email = next(t["value"] for t in resource["telecom"] if t.get("system") == "email")
    record = records.read_extension(resource) or {}
    person = record.get("user") or {}
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User(email=email.lower(), first_name=person.get("first_name", ""),
                    last_name=person.get("last_name", ""))  # fmt: skip
        user.set_unusable_password()
        user.full_clean()
        user.save()
    elif not (user.first_name or user.last_name):  # created bare to run the import
        user.first_name = person.get("first_name", "")
        user.last_name = person.get("last_name", "")
        user.save(update_fields=["first_name", "last_name"])
    if not user.working_hours.exists():  # hours already set in the new clinic are kept
        for row in record.get("working_hours", []):
            records.create(WorkingHours, records.load(WorkingHours, row, _no_links), therapist=user)
    for row in record.get("time_off", []):
        records.create(TimeOff, records.load(TimeOff, row, _no_links), therapist=user)
    membership = record.get("membership")
    if membership is not None and not hasattr(user, "membership"):
        role = membership.get("role", Role.THERAPIST)
        if role not in Role.values:
            raise RecordError(f"{role!r} is not a role")
        Membership.objects.create(
            user=user, clinic=clinic, role=role, is_active=bool(membership.get("is_active"))
        )
    return user.pk


def _patient(clinic, group, preview, resolve, by) -> Client:
    resource = group["Patient"][0]
    record = records.read_extension(resource)
    if record is None:  # another system's Patient: what the import page takes
        return preview.apply(clinic, by)
    arguments = records.load(Client, record.get("client", {}), resolve)
    client = Client(clinic=clinic, **arguments)
    client.full_clean(exclude=["clinic"])
    client = records.create(Client, arguments, clinic=clinic)
    client.therapists.set([resolve(name) for name in record.get("therapists", [])])
    return client


def _care_plan(clinic, client, resource, names, resolve) -> None:
    record = records.read_extension(resource)
    plan = dict(record["plan"])
    key = plan.pop("key")
    if key not in names:
        names[key] = records.create(
            Plan, records.load(Plan, plan, resolve), clinic=clinic, client=client
        ).pk
    arguments = records.load(PlanVersion, record["version"], resolve)
    version = records.create(PlanVersion, arguments, plan_id=names[key])
    names[f"CarePlan/{resource['id']}"] = version.pk


def _extras(client, resource, names, resolve) -> None:
    """The client's records FHIR has no resource for, in the order they link to each other."""
    record = records.read_extension(resource)
    if record is None:
        return
    for name in EXTRAS:
        model = Client._meta.get_field(name).related_model
        for row in record.get(name, []):
            row = dict(row)
            key = row.pop("key", None)
            arguments = records.load(model, row, resolve)
            instance = records.create(model, arguments, client=client)
            if key is not None:
                names[key] = instance.pk
    for name, (_, load) in sorted(records.CLIENT_PARTS.items()):
        if record.get(name) is not None:
            load(client, record[name], resolve)


def _appointment(clinic, client, resource, resolve) -> int:
    """A booked time as it was; the booking's clash check is for new bookings, not history."""
    record = records.read_extension(resource)
    arguments = records.load(Appointment, record, resolve)
    return records.create(Appointment, arguments, clinic=clinic, client=client).pk


def _encounter(clinic, client, resource, resolve) -> int:
    """A visit note as it was written: a signed one keeps its author, time and content."""
    record = records.read_extension(resource)
    arguments = records.load(Visit, record["visit"], resolve)
    visit = records.create(Visit, arguments, clinic=clinic, client=client)
    for addendum in record.get("addenda", []):
        records.create(Addendum, records.load(Addendum, addendum, resolve), visit=visit)
    return visit.pk


def _responses(client, group, preview, resolve, by) -> None:
    """Each response scored again; who entered it and under which rule come from its record."""
    for resource, response in zip(group["QuestionnaireResponse"], preview.responses, strict=True):
        record = records.read_extension(resource) or {}
        kept = records.load(Response, record, resolve)
        created_at = kept.pop("created_at", None)
        entered_by = kept.pop("entered_by_id", by.pk)
        saved = Response.record(
            client, **response, entered_by=User.objects.filter(pk=entered_by).first(), **kept
        )
        if created_at is not None:
            Response.objects.filter(pk=saved.pk).update(created_at=created_at)


def _document(directory: Path, clinic, client, resource, resolve) -> None:
    """The issued PDF from its file, kept only when its SHA-256 is the one recorded."""
    record = records.read_extension(resource)
    arguments = records.load(IssuedDocument, record, resolve)
    url = resource["content"][0]["attachment"]["url"]
    path = (directory / url).resolve()
    if directory.resolve() not in path.parents:
        raise RecordError(f"its file {url} is outside the export")
    content = path.read_bytes()
    digest = hashlib.sha256(content).hexdigest()
    identifiers = {i.get("value") for i in resource.get("identifier") or []}
    if digest != arguments.get("sha256") or digest not in identifiers:
        raise RecordError(f"{url} is not the document that was issued (its SHA-256 differs)")
    records.create(IssuedDocument, arguments, clinic=clinic, client=client, pdf=content)


def _no_links(name: str) -> Any:
    raise RecordError(f"it names {name}, which is not in the export")


def _words(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return (
            "; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())
            if hasattr(error, "error_dict")
            else " ".join(error.messages)
        )
    if isinstance(error, KeyError):
        return f"it lacks {error.args[0]}"
    return str(error)
