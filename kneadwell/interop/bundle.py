"""A client's whole record as FHIR R4 resources and as one Bundle (the client's own copy, the
clinic export). The mapping of each record is in resources.py and fhir.py; this module gathers
the records and names the resources.

For the portal: `client_bundle(client)` is the client's own copy of their record."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from django.utils import timezone

from kneadwell.accounts.models import User
from kneadwell.analytics.models import OutcomeSettings
from kneadwell.appointments.models import Appointment, AppointmentType, ClinicCalendar, Room
from kneadwell.interop import fhir, records, resources
from kneadwell.knowledge.instruments.scoring import AnswerError
from kneadwell.knowledge.loader import load_knowledge
from kneadwell.plans.models import Plan, PlanVersion
from kneadwell.reports.models import Letterhead
from kneadwell.screening.findings import current_findings, describe
from kneadwell.screening.models import Intake, Referral, Screening
from kneadwell.visits.models import Visit, VisitStatus

# A client's records that FHIR has no resource for, carried in the Patient's record extension
# (an export only): related name → the records' order.
EXTRAS = {
    "intakes": ("created_at", "id"),
    "screenings": ("at", "id"),
    "clearances": ("recorded_at", "id"),
    "overrides": ("at", "id"),
    "referrals": ("created_at", "id"),
    "referral_tasks": ("created_at", "id"),
    "reassessments": ("decided_at", "id"),
    "discharges": ("discharged_at", "id"),
}
# Records other records link to, by the kind their name in an export starts with.
LINKED = {
    Intake: "Intake", Screening: "Screening", Referral: "Referral", Plan: "Plan",
    AppointmentType: "AppointmentType", Room: "Room",
}  # fmt: skip

# The order resources appear in a Bundle and in an export's files.
TYPES = (
    "Organization",
    "Practitioner",
    "Patient",
    "Consent",
    "Condition",
    "Flag",
    "CarePlan",
    "Appointment",
    "Encounter",
    "Procedure",
    "QuestionnaireResponse",
    "Observation",
    "AdverseEvent",
    "DocumentReference",
)


class Ids:
    """Names resources. By default `<type>-<record number>`; an export numbers each type from 1
    in the order it meets them (`ordinal=True`), so the same records give the same files in
    any installation."""

    def __init__(self, *, ordinal: bool = False) -> None:
        self.ordinal = ordinal
        self.seen: dict[str, dict[Any, int]] = {}

    def __call__(self, kind: str, key: Any, full: bool = False) -> str:
        if self.ordinal:
            numbers = self.seen.setdefault(kind, {})
            name = f"{kind.lower()}-{numbers.setdefault(key, len(numbers) + 1)}"
        else:
            parts = key if isinstance(key, tuple) else (key,)
            name = "-".join([kind.lower(), *(re.sub(r"[^A-Za-z0-9]+", "-", str(p)) for p in parts)])
        name = name[:64]  # FHIR ids are at most 64 characters
        return f"{kind}/{name}" if full else name


def client_bundle(client) -> dict[str, Any]:
    """The client's whole record as a FHIR R4 Bundle of type collection."""
    ids = Ids()
    found = sorted(client_resources(client, ids), key=lambda r: TYPES.index(r["resourceType"]))
    return {
        "resourceType": "Bundle",
        "id": ids("Bundle", client.pk),
        "type": "collection",
        "timestamp": timezone.localtime().isoformat(),
        "entry": [
            {"fullUrl": f"{fhir.BASE}/{r['resourceType']}/{r['id']}", "resource": r} for r in found
        ],
    }


def linker(ids: Ids, named: set | None = None):
    """How an export names a record another record links to (None: not in the export)."""

    def link(model, pk) -> str | None:
        if model is User:
            if named is not None:
                named.add(pk)
            return ids("Practitioner", pk, full=True)
        if model is PlanVersion:
            return ids("CarePlan", pk, full=True)
        if model is Visit:
            return ids("Encounter", pk, full=True)
        if model is Appointment:
            return ids("Appointment", pk, full=True)
        return ids(LINKED[model], pk) if model in LINKED else None

    return link


def clinic_resources(
    clinic, ids: Ids, members, named: set | None = None
) -> Iterator[dict[str, Any]]:
    """The clinic (Organization) and its people (Practitioner), each with its record; `named`
    collects the people the clinic's settings name (who changed a safety rule)."""
    letterhead = Letterhead.for_clinic(clinic)
    organization = resources.organization(clinic, letterhead, ids)
    link = linker(ids, named)
    organization["extension"] = records.extension(
        {
            "clinic": records.dump(clinic, link, skip=("name", "created_at")),
            "letterhead": records.dump(letterhead, link, skip=("updated_at",)),
            **calendar_record(clinic, ids, link),
            **settings_record(clinic, link),
        }
    )
    yield organization
    for user in members:
        yield practitioner_resource(user, ids, clinic)


def calendar_record(clinic, ids: Ids, link) -> dict[str, Any]:
    """The clinic's calendar settings (None: never saved, the defaults), its appointment types
    and rooms by name, each with the key its appointments name it by."""
    calendar = ClinicCalendar.objects.filter(clinic=clinic).first()
    return {
        "calendar": None if calendar is None else records.dump(calendar, link),
        "appointment_types": [
            {"key": ids("AppointmentType", kind.pk), **records.dump(kind, link)}
            for kind in clinic.appointment_types.order_by("name", "id")
        ],
        "rooms": [
            {"key": ids("Room", room.pk), **records.dump(room, link)}
            for room in clinic.rooms.order_by("name", "id")
        ],
    }


def settings_record(clinic, link) -> dict[str, Any]:
    """The clinic's own safety-rule adjustments, missing-item rules and outcome settings (None:
    never saved, the defaults)."""
    outcomes = OutcomeSettings.objects.filter(clinic=clinic).first()
    return {
        "rule_adjustments": [
            records.dump(adjustment, link)
            for adjustment in clinic.rule_adjustments.order_by("rule_id", "id")
        ],
        "instrument_settings": [
            records.dump(setting, link)
            for setting in clinic.instrument_settings.order_by("instrument", "id")
        ],
        "outcome_settings": None if outcomes is None else records.dump(outcomes, link),
    }


def practitioner_resource(user, ids: Ids, clinic) -> dict[str, Any]:
    """A person with their role in the clinic and, for a member, their working hours and time
    off; never their password."""
    resource = resources.practitioner(user, ids)
    membership = getattr(user, "membership", None)
    member = membership is not None and membership.clinic_id == clinic.pk
    link = linker(ids)
    resource["extension"] = records.extension(
        {
            "user": {"first_name": user.first_name, "last_name": user.last_name},
            "membership": {"role": membership.role, "is_active": membership.is_active}
            if member
            else None,
            "working_hours": [
                records.dump(hours, link, skip=("therapist",))
                for hours in user.working_hours.order_by("weekday", "starts", "id")
            ]
            if member
            else [],
            "time_off": [
                records.dump(off, link, skip=("therapist",))
                for off in user.time_off.order_by("starts_on", "ends_on", "id")
            ]
            if member
            else [],
        }
    )
    return resource


def client_resources(
    client, ids: Ids, *, practitioners: set | None = None, clinic_done: bool = False,
    document_url=None, full: bool = False, named: set | None = None,
) -> Iterator[dict[str, Any]]:  # fmt: skip
    """Every resource of one client's record. `practitioners` collects the people already
    written (an export writes each once); `document_url(issued)` says where a PDF is.
    `full` (the clinic export) adds each record's own fields (records.py) and draft notes, so
    that an import gives back every field; `named` collects the people those fields name."""
    clinic = client.clinic
    organization = ids("Organization", clinic.pk, full=True)
    practitioners = set() if practitioners is None else practitioners
    if not clinic_done:
        yield resources.organization(clinic, Letterhead.for_clinic(clinic), ids)
    people = _people(client)
    for user in people:
        if user.pk not in practitioners:
            practitioners.add(user.pk)
            yield (
                practitioner_resource(user, ids, clinic)
                if full
                else resources.practitioner(user, ids)
            )
    link = linker(ids, named) if full else None
    patient = resources.patient(client, ids, organization)
    if link is not None:
        patient["extension"] = records.extension(_client_record(client, ids, link))
    yield patient
    yield from resources.consents(client, ids, organization)
    yield from _conditions(client, ids)
    yield from _flags(client, ids)
    yield from _care_plans(client, ids, link)
    if link is not None:  # the calendar goes out with the clinic export only
        yield from _appointments(client, ids, link)
    yield from _visits(client, ids, organization, link)
    yield from _responses(client, ids, link)
    for issued in client.issued_documents.order_by("issued_at", "id"):
        url = document_url(issued) if document_url else f"Binary/{issued.filename}"
        reference = resources.document_reference(issued, ids, url)
        if link is not None:
            reference["extension"] = records.extension(records.dump(issued, link, skip=("pdf",)))
        yield reference


def _client_record(client, ids: Ids, link) -> dict[str, Any]:
    """The client's own fields, their therapists and the records FHIR has no resource for."""
    found: dict[str, Any] = {
        "client": records.dump(client, link),
        # By name, not row number: the names are the same in any installation.
        "therapists": sorted(
            link(User, pk) for pk in client.therapists.values_list("pk", flat=True)
        ),
    }
    for name, order in EXTRAS.items():
        rows = []
        for record in getattr(client, name).order_by(*order):
            row = records.dump(record, link)
            if type(record) in LINKED:
                row = {"key": ids(LINKED[type(record)], record.pk), **row}
            rows.append(row)
        found[name] = rows
    for name, (dump, _) in sorted(records.CLIENT_PARTS.items()):
        found[name] = dump(client, link)
    return found


def _people(client) -> list:
    """Everyone the record names: assigned therapists, visit therapists, document issuers."""
    pks = set(client.therapists.values_list("pk", flat=True))
    pks |= set(client.visits.filter(status=VisitStatus.SIGNED).values_list("therapist", flat=True))
    pks |= set(client.issued_documents.values_list("issued_by", flat=True))
    return list(User.objects.filter(pk__in=pks).order_by("pk"))


def condition_ids(client) -> list[tuple[str, bool, Any]]:
    """(condition id, active, recorded) for the plans' conditions, then the intake's."""
    knowledge = load_knowledge()
    found: dict[str, tuple[bool, Any]] = {}
    for plan in client.plans.order_by("created_at", "id"):
        active = plan.status == "active" or found.get(plan.condition, (False,))[0]
        first = found.get(plan.condition, (None, plan.created_at))[1]
        found[plan.condition] = (active, first)
    intake = client.intakes.order_by("-created_at", "-id").first()
    for condition_id in intake.answers.get("conditions", []) if intake else []:
        found.setdefault(condition_id, (not client.is_discharged, intake.created_at))
    return [(c, a, r) for c, (a, r) in found.items() if c in knowledge.conditions]


def _conditions(client, ids):
    for condition_id, active, recorded in condition_ids(client):
        yield resources.condition(client, condition_id, active=active, recorded=recorded, ref=ids)


def _flags(client, ids):
    findings, cleared = current_findings(client)
    if not findings:
        return
    since = client.screenings.order_by("-at", "-id").values_list("at", flat=True).first()
    for described in describe(findings, cleared):
        yield resources.flag(client, described, since=since, ref=ids)


def _care_plans(client, ids, link=None):
    for plan in client.plans.order_by("created_at", "id").prefetch_related("versions"):
        versions = sorted(plan.versions.all(), key=lambda v: v.number)
        for index, version in enumerate(versions):
            previous = versions[index - 1] if index else None
            is_current = index == len(versions) - 1
            resource = resources.care_plan(plan, version, previous, is_current=is_current, ref=ids)
            if link is not None:
                record = {"version": records.dump(version, link, skip=("plan",))}
                if index == 0:
                    record["plan"] = {"key": ids("Plan", plan.pk), **records.dump(plan, link)}
                else:
                    record["plan"] = {"key": ids("Plan", plan.pk)}
                resource["extension"] = records.extension(record)
            yield resource


def _appointments(client, ids, link):
    for booked in client.appointments.order_by("starts_at", "id").select_related(
        "appointment_type"
    ):
        resource = resources.appointment(booked, ids)
        resource["extension"] = records.extension(records.dump(booked, link, skip=("client",)))
        yield resource


def _visits(client, ids, organization, link=None):
    visits = client.visits.order_by("visit_date", "start_time", "id")
    if link is None:
        visits = visits.filter(status=VisitStatus.SIGNED)
    for visit in visits.prefetch_related("addenda"):
        encounter = resources.encounter(visit, ids, organization)
        if link is not None and visit.appointment_id is not None:
            encounter["appointment"] = [{"reference": link(Appointment, visit.appointment_id)}]
        if link is not None:
            addenda = sorted(visit.addenda.all(), key=lambda a: (a.created_at, a.pk))
            encounter["extension"] = records.extension(
                {
                    "visit": records.dump(visit, link, skip=("client",)),
                    "addenda": [records.dump(a, link, skip=("visit",)) for a in addenda],
                }
            )
        if visit.status != VisitStatus.SIGNED:
            encounter["status"] = "in-progress"  # a draft note: only its Encounter goes out
            yield encounter
            continue
        yield encounter
        yield from resources.procedures(visit, ids)
        if visit.nprs is not None:
            yield resources.pain_observation(visit, ids)
        yield from resources.adverse_events(visit, ids)


# A response's fields that its QuestionnaireResponse does not hold (scores are recomputed).
RESPONSE_KEPT = ("rule", "entered_by", "source", "created_at")


def _responses(client, ids, link=None):
    subject = ids("Patient", client.pk, full=True)
    for response in client.measure_responses.order_by("taken_at", "id"):
        response_id = ids("QuestionnaireResponse", response.pk)
        try:
            resource = fhir.questionnaire_response(
                response.instrument, response.answers, timezone.localtime(response.taken_at),
                subject, response_id, **response.context,
            )  # fmt: skip
        except AnswerError:
            continue  # an answer the current instrument no longer takes; not exportable as is
        if link is not None:
            kept = records.dump(response, link)
            resource["extension"] = records.extension({k: kept.get(k) for k in RESPONSE_KEPT})
        yield resource
        observations = fhir.score_observations(
            response.instrument, response.result(), timezone.localtime(response.taken_at), subject,
            f"QuestionnaireResponse/{response_id}",
        )  # fmt: skip
        for name_index, observation in enumerate(observations):
            observation["id"] = ids("ScoreObservation", (response.pk, name_index))
            yield observation
