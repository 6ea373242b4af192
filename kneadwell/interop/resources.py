"""The client's record as FHIR R4 resources: one function per resource type, each from one
record to one JSON dict. Questionnaires, responses and score Observations live in fhir.py; the
Bundle that puts them together is bundle.py.

| Kneadwell record            | FHIR R4 resource                        |
|-----------------------------|-----------------------------------------|
| clients.Client              | Patient                                 |
| accounts.Clinic (letterhead)| Organization                            |
| accounts.User (therapist)   | Practitioner                            |
| plan/intake condition       | Condition (ICD-10-CM)                   |
| active safety finding       | Flag                                    |
| plans.PlanVersion           | CarePlan (one per version, `replaces`)  |
| visits.Visit (signed)       | Encounter                               |
| visit treatment row         | Procedure                               |
| visit pain rating (NPRS)    | Observation (LOINC 72514-3)             |
| measures.Response           | QuestionnaireResponse + Observation     |
| visit side effect           | AdverseEvent                            |
| client consent fields       | Consent (treatment, data, physician)    |
| reports.IssuedDocument      | DocumentReference                       |
| appointments.Appointment    | Appointment (clinic export only)        |

`ref(kind, pk)` (an Ids) names every resource, so one export can number them its own way."""

from __future__ import annotations

import base64
import copy
import hashlib
from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any

from django.utils import timezone

from kneadwell.interop.fhir import BASE, LOINC, OBSERVATION_CATEGORY, UCUM
from kneadwell.knowledge.loader import load_knowledge

ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
CONDITION_CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"
CONDITION_CATEGORY = "http://terminology.hl7.org/CodeSystem/condition-category"
FLAG_CATEGORY = "http://terminology.hl7.org/CodeSystem/flag-category"
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
CONSENT_SCOPE = "http://terminology.hl7.org/CodeSystem/consentscope"
CONSENT_ACTION = "http://terminology.hl7.org/CodeSystem/consentaction"
PARTICIPATION = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType"
CONSENT_CATEGORY = "http://terminology.hl7.org/CodeSystem/consentcategorycodes"
ADVERSE_SEVERITY = "http://terminology.hl7.org/CodeSystem/adverse-event-severity"
CONDITIONS_SYSTEM = f"{BASE}/CodeSystem/conditions"
FINDINGS_SYSTEM = f"{BASE}/CodeSystem/findings"
TECHNIQUES_SYSTEM = f"{BASE}/CodeSystem/techniques"
REGIONS_SYSTEM = f"{BASE}/CodeSystem/body-regions"
ADVERSE_SYSTEM = f"{BASE}/CodeSystem/adverse-effects"
DOCUMENT_KINDS = f"{BASE}/CodeSystem/document-kinds"
CLIENT_NUMBER = f"{BASE}/NamingSystem/client-number"
PAIN_NOW_LOINC = "72514-3"

Ref = Callable[[str, Any], str]


def patient(client, ref: Ref, organization: str) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Patient",
        "id": ref("Patient", client.pk),
        "active": client.archived_at is None,
        "name": [
            {"use": "official", "family": client.family_name, "given": client.given_names.split()}
        ],
        "gender": client.gender,
        "birthDate": client.birth_date.isoformat(),
        "managingOrganization": {"reference": organization},
    }
    if client.preferred_name:
        resource["name"].append({"use": "usual", "given": [client.preferred_name]})
    telecom = [
        {"system": "phone", "value": client.phone} if client.phone else None,
        {"system": "email", "value": client.email} if client.email else None,
    ]
    if any(telecom):
        resource["telecom"] = [t for t in telecom if t]
    address = {
        k: v
        for k, v in {
            "line": [client.address_line] if client.address_line else None,
            "city": client.city,
            "postalCode": client.postal_code,
            "country": client.country,
        }.items()
        if v
    }
    if address:
        resource["address"] = [address]
    if client.emergency_name:
        contact: dict[str, Any] = {"name": {"text": client.emergency_name}}
        if client.emergency_relationship:
            contact["relationship"] = [{"text": client.emergency_relationship}]
        if client.emergency_phone:
            contact["telecom"] = [{"system": "phone", "value": client.emergency_phone}]
        resource["contact"] = [contact]
    return resource


def organization(clinic, letterhead, ref: Ref) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Organization",
        "id": ref("Organization", clinic.pk),
        "active": True,
        "name": clinic.name,
    }
    telecom = [
        {"system": "phone", "value": letterhead.phone} if letterhead.phone else None,
        {"system": "email", "value": letterhead.email} if letterhead.email else None,
        {"system": "url", "value": letterhead.website} if letterhead.website else None,
    ]
    if any(telecom):
        resource["telecom"] = [t for t in telecom if t]
    if letterhead.address:
        resource["address"] = [{"text": letterhead.address}]
    return resource


def practitioner(user, ref: Ref) -> dict[str, Any]:
    name: dict[str, Any] = {"text": str(user)}
    if user.last_name:
        name["family"] = user.last_name
    if user.first_name:
        name["given"] = [user.first_name]
    return {
        "resourceType": "Practitioner",
        "id": ref("Practitioner", user.pk),
        "name": [name],
        "telecom": [{"system": "email", "value": user.email}],
    }


def condition(client, condition_id: str, *, active: bool, recorded: datetime, ref: Ref):
    """A condition the client is treated for, coded in ICD-10-CM from the knowledge base."""
    entry = load_knowledge().conditions[condition_id]
    codes = [c for c in entry.icd10cm if c.default] or entry.icd10cm[:1]
    return {
        "resourceType": "Condition",
        "id": ref("Condition", (client.pk, condition_id)),
        "clinicalStatus": {
            "coding": [{"system": CONDITION_CLINICAL, "code": "active" if active else "resolved"}]
        },
        "category": [{"coding": [{"system": CONDITION_CATEGORY, "code": "problem-list-item"}]}],
        "code": {
            "coding": [
                *({"system": ICD10CM, "code": c.code, "display": c.display} for c in codes),
                {"system": CONDITIONS_SYSTEM, "code": entry.id, "display": entry.name},
            ],
            "text": entry.name,
        },
        "subject": {"reference": ref("Patient", client.pk, full=True)},
        "recordedDate": _datetime(recorded),
    }


def flag(client, described, *, since: datetime, ref: Ref) -> dict[str, Any]:
    """An active safety finding: what it is and what it limits."""
    finding = described.finding
    text = finding.name
    if described.restrictions:
        text = f"{finding.name}: {' '.join(described.restrictions)}"
    return {
        "resourceType": "Flag",
        "id": ref("Flag", (client.pk, finding.id)),
        "status": "active",
        "category": [{"coding": [{"system": FLAG_CATEGORY, "code": "safety"}]}],
        "code": {
            "coding": [{"system": FINDINGS_SYSTEM, "code": finding.id, "display": finding.name}],
            "text": text,
        },
        "subject": {"reference": ref("Patient", client.pk, full=True)},
        "period": {"start": _datetime(since)},
    }


def care_plan(plan, version, previous, *, is_current: bool, ref: Ref) -> dict[str, Any]:
    """One version of a plan; a later version `replaces` the one before."""
    knowledge = load_knowledge()
    if not is_current:
        status = "revoked"
    else:
        status = "active" if plan.status == "active" else "completed"
    goals = "; ".join(g["text"] for g in version.goals if g.get("text"))
    resource: dict[str, Any] = {
        "resourceType": "CarePlan",
        "id": ref("CarePlan", version.pk),
        "status": status,
        "intent": "plan",
        "title": f"Massage plan, version {version.number}",
        "subject": {"reference": ref("Patient", plan.client_id, full=True)},
        "period": {"start": _datetime(version.created_at)},
        "created": _datetime(version.created_at),
        "addresses": [{"reference": ref("Condition", (plan.client_id, plan.condition), full=True)}],
        "activity": [
            {
                "detail": {
                    "kind": "ServiceRequest",
                    "code": {
                        "coding": [
                            {
                                "system": TECHNIQUES_SYSTEM,
                                "code": t,
                                "display": knowledge.techniques[t].name,
                            }
                        ]
                    },
                    "status": "in-progress" if status == "active" else "completed",
                    **(
                        {"scheduledString": f"{version.planned_sessions} sessions"}
                        if version.planned_sessions
                        else {}
                    ),
                }
            }
            for t in version.techniques
            if t in knowledge.techniques
        ],
    }
    if goals:
        resource["description"] = f"Goals: {goals}"
    if previous is not None:
        resource["replaces"] = [{"reference": ref("CarePlan", previous.pk, full=True)}]
    notes = [n for n in (version.change_note, version.notes) if n]
    if notes:
        resource["note"] = [{"text": n} for n in notes]
    return resource


def encounter(visit, ref: Ref, organization: str) -> dict[str, Any]:
    start = _visit_start(visit)
    period = {"start": _datetime(start)}
    if visit.duration_minutes:
        period["end"] = _datetime(start + timezone.timedelta(minutes=visit.duration_minutes))
    resource = {
        "resourceType": "Encounter",
        "id": ref("Encounter", visit.pk),
        "status": "finished",
        "class": {"system": ACT_CODE, "code": "AMB", "display": "ambulatory"},
        "subject": {"reference": ref("Patient", visit.client_id, full=True)},
        "participant": [
            {"individual": {"reference": ref("Practitioner", visit.therapist_id, full=True)}}
        ],
        "period": period,
        "serviceProvider": {"reference": organization},
    }
    if visit.duration_minutes:
        resource["length"] = {
            "value": visit.duration_minutes,
            "unit": "min",
            "system": UCUM,
            "code": "min",
        }
    return resource


def procedures(visit, ref: Ref) -> list[dict[str, Any]]:
    """Each treatment row of a signed visit: technique, region, pressure and minutes."""
    knowledge = load_knowledge()
    found = []
    for index, row in enumerate(visit.treatment_items(), start=1):
        technique = knowledge.techniques.get(row["technique"])
        region = knowledge.body_regions.get(row.get("region") or "")
        resource: dict[str, Any] = {
            "resourceType": "Procedure",
            "id": ref("Procedure", (visit.pk, index)),
            "status": "completed",
            "code": {
                "coding": [
                    {
                        "system": TECHNIQUES_SYSTEM,
                        "code": row["technique"],
                        "display": technique.name if technique else row["technique"],
                    }
                ]
            },
            "subject": {"reference": ref("Patient", visit.client_id, full=True)},
            "encounter": {"reference": ref("Encounter", visit.pk, full=True)},
            "performedDateTime": _datetime(_visit_start(visit)),
            "performer": [
                {"actor": {"reference": ref("Practitioner", visit.therapist_id, full=True)}}
            ],
        }
        if region is not None:
            resource["bodySite"] = [
                {"coding": [{"system": REGIONS_SYSTEM, "code": region.id, "display": region.name}]}
            ]
        details = []
        if row.get("pressure"):
            details.append(f"pressure {row['pressure']} of 5")
        if row.get("minutes"):
            details.append(f"{row['minutes']} minutes")
        if details:
            resource["note"] = [{"text": ", ".join(details)}]
        found.append(resource)
    return found


def pain_observation(visit, ref: Ref) -> dict[str, Any]:
    """The pain rating (0-10) the client gave at the visit."""
    return {
        "resourceType": "Observation",
        "id": ref("PainObservation", visit.pk),
        "status": "final",
        "category": [
            {"coding": [{"system": OBSERVATION_CATEGORY, "code": "survey", "display": "Survey"}]}
        ],
        "code": {
            "coding": [{"system": LOINC, "code": PAIN_NOW_LOINC}],
            "text": "Pain severity 0-10, reported at the visit",
        },
        "subject": {"reference": ref("Patient", visit.client_id, full=True)},
        "encounter": {"reference": ref("Encounter", visit.pk, full=True)},
        "effectiveDateTime": _datetime(_visit_start(visit)),
        "valueQuantity": {
            "value": visit.nprs,
            "unit": "{score}",
            "system": UCUM,
            "code": "{score}",
        },
    }


def adverse_events(visit, ref: Ref) -> list[dict[str, Any]]:
    """Side effects the client reported after massage."""
    names = load_knowledge().adverse_effect_types
    found = []
    for index, effect in enumerate(visit.adverse_effects or [], start=1):
        kind = effect.get("kind", "")
        entry = names.get(kind)
        resource: dict[str, Any] = {
            "resourceType": "AdverseEvent",
            "id": ref("AdverseEvent", (visit.pk, index)),
            "actuality": "actual",
            "event": {
                "coding": [
                    {
                        "system": ADVERSE_SYSTEM,
                        "code": kind,
                        "display": entry.name if entry else kind,
                    }
                ]
            },
            "subject": {"reference": ref("Patient", visit.client_id, full=True)},
            "encounter": {"reference": ref("Encounter", visit.pk, full=True)},
            "date": _datetime(_visit_start(visit)),
            "suspectEntity": [{"instance": {"reference": ref("Encounter", visit.pk, full=True)}}],
        }
        severity = effect.get("severity")
        if severity is not None:
            code = "mild" if severity <= 3 else "moderate" if severity <= 6 else "severe"
            resource["severity"] = {
                "coding": [{"system": ADVERSE_SEVERITY, "code": code}],
                "text": f"{severity}/10",
            }
        found.append(resource)
    return found


def consents(client, ref: Ref, organization: str) -> list[dict[str, Any]]:
    """The client's recorded consents: to treatment, to the processing of their data, and to
    sharing their record with their physician (a privacy consent that permits disclosure to
    the physician as the primary information recipient)."""
    found = []
    for key, scope, given, dated, display in (
        ("treatment", "treatment", client.consent_treatment, client.consent_treatment_date,
         "Treatment"),
        ("patient-privacy", "patient-privacy", client.consent_data, client.consent_data_date,
         "Privacy Consent"),
        ("physician", "patient-privacy", client.consent_share, client.consent_share_date,
         "Privacy Consent"),
    ):  # fmt: skip
        if not given:
            continue
        resource: dict[str, Any] = {
            "resourceType": "Consent",
            "id": ref("Consent", (client.pk, key)),
            "status": "active",
            "scope": {"coding": [{"system": CONSENT_SCOPE, "code": scope, "display": display}]},
            "category": [{"coding": [{"system": LOINC, "code": "59284-0"}]}],
            "patient": {"reference": ref("Patient", client.pk, full=True)},
            "dateTime": dated.isoformat(),
            "organization": [{"reference": organization}],
            "policyRule": {"coding": [{"system": ACT_CODE, "code": "OPTIN"}]},
        }
        if key == "physician":
            resource["provision"] = {"type": "permit", **copy.deepcopy(SHARE_WITH_PHYSICIAN)}
        found.append(resource)
    return found


# What marks the consent to share with the physician: disclosure to the primary recipient.
SHARE_WITH_PHYSICIAN: dict[str, Any] = {
    "action": [{"coding": [{"system": CONSENT_ACTION, "code": "disclose"}]}],
    "actor": [
        {
            "role": {"coding": [{"system": PARTICIPATION, "code": "PRCP"}]},
            "reference": {"display": "the client's physician"},
        }
    ],
}


def document_reference(issued, ref: Ref, url: str) -> dict[str, Any]:
    """An issued PDF: its kind, when and by whom, and the file with its checksums."""
    content = issued.content()
    return {
        "resourceType": "DocumentReference",
        "id": ref("DocumentReference", issued.pk),
        "identifier": [{"system": f"{BASE}/sha256", "value": issued.sha256}],
        "status": "current",
        "type": {
            "coding": [{"system": DOCUMENT_KINDS, "code": issued.kind}],
            "text": issued.title,
        },
        "subject": {"reference": ref("Patient", issued.client_id, full=True)},
        "date": _datetime(issued.issued_at),
        "author": [{"reference": ref("Practitioner", issued.issued_by_id, full=True)}],
        "description": f"{issued.get_method_display()}"
        + (f" to {issued.recipient}" if issued.recipient else ""),
        "content": [
            {
                "attachment": {
                    "contentType": "application/pdf",
                    "url": url,
                    "size": issued.size,
                    # FHIR R4 attachments carry a SHA-1; the SHA-256 is the identifier above.
                    "hash": base64.b64encode(hashlib.sha1(content).digest()).decode(),  # noqa: S324
                    # The file's own name where it is (an export names it by its resource,
                    # not by this installation's document number).
                    "title": url.rsplit("/", 1)[-1],
                    "creation": _datetime(issued.issued_at),
                }
            }
        ],
    }


def _visit_start(visit) -> datetime:
    moment = datetime.combine(visit.visit_date, visit.start_time or time(0, 0))
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


# Kneadwell's appointment statuses in FHIR R4's AppointmentStatus.
APPOINTMENT_STATUS = {
    "booked": "booked",
    "arrived": "arrived",
    "completed": "fulfilled",
    "cancelled": "cancelled",
    "no_show": "noshow",
}
APPOINTMENT_TYPES = f"{BASE}/CodeSystem/appointment-types"


def appointment(booked, ref: Ref) -> dict[str, Any]:
    """A booked time: who (client and therapist), when, what kind, and why it was cancelled."""
    resource = {
        "resourceType": "Appointment",
        "id": ref("Appointment", booked.pk),
        "status": APPOINTMENT_STATUS[booked.status],
        "appointmentType": {
            "coding": [
                {
                    "system": APPOINTMENT_TYPES,
                    "code": ref("AppointmentType", booked.appointment_type_id),
                }
            ],
            "text": booked.appointment_type.name,
        },
        "start": _datetime(booked.starts_at),
        "end": _datetime(booked.ends_at),
        "minutesDuration": round((booked.ends_at - booked.starts_at).total_seconds() / 60),
        "created": _datetime(booked.booked_at),
        "participant": [
            {
                "actor": {"reference": ref("Patient", booked.client_id, full=True)},
                "required": "required",
                "status": "accepted",
            },
            {
                "actor": {"reference": ref("Practitioner", booked.therapist_id, full=True)},
                "required": "required",
                "status": "accepted",
            },
        ],
    }
    if booked.status == "cancelled" and booked.cancel_reason:
        resource["cancelationReason"] = {"text": booked.cancel_reason}
    return resource


def _datetime(value: datetime | date) -> str:
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat()
    return value.isoformat()
