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
from kneadwell.interop import fhir, resources
from kneadwell.knowledge.instruments.scoring import AnswerError
from kneadwell.knowledge.loader import load_knowledge
from kneadwell.reports.models import Letterhead
from kneadwell.screening.findings import current_findings, describe
from kneadwell.visits.models import VisitStatus

# The order resources appear in a Bundle and in an export's files.
TYPES = (
    "Organization",
    "Practitioner",
    "Patient",
    "Consent",
    "Condition",
    "Flag",
    "CarePlan",
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


def client_resources(
    client, ids: Ids, *, practitioners: set | None = None, clinic_done: bool = False,
    document_url=None,
) -> Iterator[dict[str, Any]]:  # fmt: skip
    """Every resource of one client's record. `practitioners` collects the people already
    written (an export writes each once); `document_url(issued)` says where a PDF is."""
    clinic = client.clinic
    organization = ids("Organization", clinic.pk, full=True)
    practitioners = set() if practitioners is None else practitioners
    if not clinic_done:
        yield resources.organization(clinic, Letterhead.for_clinic(clinic), ids)
    people = _people(client)
    for user in people:
        if user.pk not in practitioners:
            practitioners.add(user.pk)
            yield resources.practitioner(user, ids)
    yield resources.patient(client, ids, organization)
    yield from resources.consents(client, ids, organization)
    yield from _conditions(client, ids)
    yield from _flags(client, ids)
    yield from _care_plans(client, ids)
    yield from _visits(client, ids, organization)
    yield from _responses(client, ids)
    for issued in client.issued_documents.order_by("issued_at", "id"):
        url = document_url(issued) if document_url else f"Binary/{issued.filename}"
        yield resources.document_reference(issued, ids, url)


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


def _care_plans(client, ids):
    for plan in client.plans.order_by("created_at", "id").prefetch_related("versions"):
        versions = sorted(plan.versions.all(), key=lambda v: v.number)
        for index, version in enumerate(versions):
            previous = versions[index - 1] if index else None
            is_current = index == len(versions) - 1
            yield resources.care_plan(plan, version, previous, is_current=is_current, ref=ids)


def _visits(client, ids, organization):
    signed = client.visits.filter(status=VisitStatus.SIGNED).order_by(
        "visit_date", "start_time", "id"
    )
    for visit in signed:
        yield resources.encounter(visit, ids, organization)
        yield from resources.procedures(visit, ids)
        if visit.nprs is not None:
            yield resources.pain_observation(visit, ids)
        yield from resources.adverse_events(visit, ids)


def _responses(client, ids):
    subject = ids("Patient", client.pk, full=True)
    for response in client.measure_responses.order_by("taken_at", "id"):
        response_id = ids("QuestionnaireResponse", response.pk)
        try:
            yield fhir.questionnaire_response(
                response.instrument, response.answers, timezone.localtime(response.taken_at),
                subject, response_id, **response.context,
            )  # fmt: skip
        except AnswerError:
            continue  # an answer the current instrument no longer takes; not exportable as is
        observations = fhir.score_observations(
            response.instrument, response.result(), timezone.localtime(response.taken_at), subject,
            f"QuestionnaireResponse/{response_id}",
        )  # fmt: skip
        for name_index, observation in enumerate(observations):
            observation["id"] = ids("ScoreObservation", (response.pk, name_index))
            yield observation
