"""Reading a FHIR R4 Bundle into a client's record: the Patient (a new client, or one already in
the clinic with the same names and date of birth), their Consents, their Conditions (ICD-10-CM
codes the knowledge base knows) and QuestionnaireResponses (instruments Kneadwell scores).
`read` checks everything first and returns a preview with every problem; `Preview.apply`
writes all or nothing. Observations derived from a response are recomputed, never taken."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from kneadwell.clients.models import AdministrativeGender, Client
from kneadwell.interop.fhir import BASE
from kneadwell.interop.resources import CONDITIONS_SYSTEM, ICD10CM, SHARE_WITH_PHYSICIAN
from kneadwell.knowledge.instruments.registry import UnknownInstrument, get_instrument
from kneadwell.knowledge.instruments.scoring import AnswerError, score
from kneadwell.knowledge.loader import load_knowledge
from kneadwell.measures.models import Response
from kneadwell.screening.models import Intake

IMPORTED = ("Patient", "Consent", "Condition", "QuestionnaireResponse")
# Consent scopes (consentscope) → the client's consent fields.
CONSENT_FIELDS = {"treatment": "consent_treatment", "patient-privacy": "consent_data"}
QUESTIONNAIRE_PREFIX = f"{BASE}/Questionnaire/"


class ImportRefused(Exception):
    """A directory or bundle with problems: nothing was imported."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass
class Preview:
    """What an import would do, and every reason it cannot."""

    patient: dict[str, Any] = field(default_factory=dict)
    match: Client | None = None
    conditions: list[str] = field(default_factory=list)  # knowledge-base condition ids
    recorded: Any = None  # when the earliest condition was recorded
    responses: list[dict[str, Any]] = field(default_factory=list)
    consents: dict[str, date] = field(default_factory=dict)  # consent field → date given
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def condition_names(self) -> list[str]:
        conditions = load_knowledge().conditions
        return [conditions[c].name for c in self.conditions]

    def apply(self, clinic, by, *, assign: bool = False) -> Client:
        """Write the client (or use the match), the conditions as an intake record, and the
        responses scored by the published algorithm. All or nothing."""
        if not self.ok:
            raise ValueError("This bundle has problems; nothing can be imported.")
        with transaction.atomic():
            consents = {}
            for name, given in self.consents.items():
                consents.update({name: True, f"{name}_date": given})
            client = self.match or Client.objects.create(clinic=clinic, **self.patient, **consents)
            if self.match and consents:
                Client.objects.filter(pk=client.pk).update(**consents)
            if assign:
                client.therapists.add(by)
            if self.conditions:
                Intake.objects.create(
                    client=client,
                    answers={"conditions": self.conditions},
                    created_by=by,
                    **({"created_at": self.recorded} if self.recorded else {}),
                )
            for response in self.responses:
                Response.record(client, entered_by=by, **response)
        return client


def read(bundle: Any, clients) -> Preview:
    """Check a Bundle (already parsed JSON) and say what importing it would do; `clients` are
    those the person may see (a matching client is looked for among them only)."""
    preview = Preview()
    if not isinstance(bundle, dict) or bundle.get("resourceType") != "Bundle":
        preview.problems.append("This is not a FHIR Bundle (resourceType must be Bundle).")
        return preview
    entries = bundle.get("entry")
    if not isinstance(entries, list) or not entries:
        preview.problems.append("The Bundle has no entries.")
        return preview
    resources = [e.get("resource") if isinstance(e, dict) else None for e in entries]
    response_ids = {
        r.get("id") for r in resources if isinstance(r, dict)
        and r.get("resourceType") == "QuestionnaireResponse"
    }  # fmt: skip
    patients = []
    for number, resource in enumerate(resources, start=1):
        kind = resource.get("resourceType") if isinstance(resource, dict) else None
        where = f"Entry {number} ({kind or 'no resourceType'})"
        if kind == "Patient":
            patients.append((where, resource))
        elif kind == "Condition":
            _condition(preview, where, resource)
        elif kind == "Consent":
            _consent(preview, where, resource)
        elif kind == "QuestionnaireResponse":
            _response(preview, where, resource)
        elif kind == "Observation" and _derived_from(resource, response_ids):
            continue  # a score of a response in this bundle: recomputed from the answers
        else:
            preview.problems.append(
                f"{where}: Kneadwell imports only {', '.join(IMPORTED)} (and the score "
                "Observations derived from those responses)."
            )
    if len(patients) != 1:
        preview.problems.append(
            f"The Bundle must hold exactly one Patient; it holds {len(patients)}."
        )
    else:
        _patient(preview, *patients[0], clients)
    return preview


def _patient(preview: Preview, where: str, resource: dict, clients) -> None:
    names = resource.get("name") or []
    official = next((n for n in names if n.get("use") == "official"), names[0] if names else {})
    family = (official.get("family") or "").strip()
    given = " ".join(official.get("given") or []).strip()
    born = _date(resource.get("birthDate"))
    if not family or not given:
        preview.problems.append(f"{where}: the patient needs a family name and a given name.")
    if born is None:
        preview.problems.append(f"{where}: the patient needs a birth date (YYYY-MM-DD).")
    gender = resource.get("gender", AdministrativeGender.UNKNOWN)
    if gender not in AdministrativeGender.values:
        preview.problems.append(
            f"{where}: gender {gender!r} is not male, female, other or unknown."
        )
    if preview.problems:
        return
    if max(len(family), len(given)) > 150:
        preview.problems.append(f"{where}: a name is longer than 150 characters.")
        return
    fields: dict[str, Any] = {
        "family_name": family,
        "given_names": given,
        "birth_date": born,
        "gender": gender,
    }
    usual = next((n for n in names if n.get("use") == "usual"), None)
    if usual and usual.get("given"):
        fields["preferred_name"] = " ".join(usual["given"])
    for telecom in resource.get("telecom") or []:
        if telecom.get("system") == "phone":
            fields["phone"] = telecom.get("value", "")
        elif telecom.get("system") == "email":
            fields["email"] = telecom.get("value", "")
    contact = (resource.get("contact") or [{}])[0]
    fields["emergency_name"] = (contact.get("name") or {}).get("text", "")
    fields["emergency_relationship"] = ((contact.get("relationship") or [{}])[0]).get("text", "")
    phones = [
        t.get("value", "") for t in contact.get("telecom") or [] if t.get("system") == "phone"
    ]
    fields["emergency_phone"] = phones[0] if phones else ""
    if resource.get("active") is False:
        fields["archived_at"] = timezone.now()
    address = (resource.get("address") or [{}])[0]
    fields.update(
        address_line=" ".join(address.get("line") or []),
        city=address.get("city") or "",
        postal_code=address.get("postalCode") or "",
        country=address.get("country") or "",
    )
    limits = {"preferred_name": 150, "phone": 40, "email": 254, "address_line": 200,
              "city": 100, "postal_code": 20, "country": 100, "emergency_name": 150,
              "emergency_relationship": 100, "emergency_phone": 40}  # fmt: skip
    for name, limit in limits.items():
        if len(fields.get(name, "")) > limit:
            preview.problems.append(f"{where}: {name.replace('_', ' ')} is longer than {limit}.")
    preview.patient = fields
    preview.match = (
        clients.filter(
            family_name__iexact=family,
            given_names__iexact=given,
            birth_date=born,
        )
        .order_by("pk")
        .first()
    )


def _condition(preview: Preview, where: str, resource: dict) -> None:
    """A condition coded in ICD-10-CM (or Kneadwell's own code) that the knowledge base knows."""
    knowledge = load_knowledge()
    codings = (resource.get("code") or {}).get("coding") or []
    found = None
    for coding in codings:
        if coding.get("system") == CONDITIONS_SYSTEM and coding.get("code") in knowledge.conditions:
            found = coding["code"]
            break
    if found is None:
        by_icd = {
            icd.code: condition.id
            for condition in knowledge.conditions.values()
            for icd in condition.icd10cm
        }
        icd_codes = [c.get("code") for c in codings if c.get("system") == ICD10CM]
        found = next((by_icd[c] for c in icd_codes if c in by_icd), None)
        if found is None:
            shown = ", ".join(str(c) for c in icd_codes) or "none"
            preview.problems.append(
                f"{where}: no ICD-10-CM code Kneadwell knows (codes given: {shown})."
            )
            return
    if found not in preview.conditions:
        preview.conditions.append(found)
    recorded = parse_datetime(resource.get("recordedDate") or "")
    if recorded is not None and recorded.tzinfo is not None:
        preview.recorded = min(filter(None, [preview.recorded, recorded]))


def _consent(preview: Preview, where: str, resource: dict) -> None:
    """An active consent to treatment, to data processing or to sharing with the physician
    (a privacy consent whose provision permits disclosure to the primary recipient), with the
    date it was given."""
    codes = [c.get("code") for c in (resource.get("scope") or {}).get("coding") or []]
    name = next((CONSENT_FIELDS[c] for c in codes if c in CONSENT_FIELDS), None)
    if name == "consent_data" and _shares_with_physician(resource.get("provision")):
        name = "consent_share"
    elif name is not None and resource.get("provision"):
        preview.problems.append(f"{where}: Kneadwell does not read this consent's provision.")
        return
    given = _date((resource.get("dateTime") or "")[:10])
    if name is None:
        preview.problems.append(
            f"{where}: only consents to treatment, to data processing or to sharing with the "
            "physician."
        )
    elif resource.get("status") != "active" or given is None:
        preview.problems.append(f"{where}: the consent must be active and dated (YYYY-MM-DD).")
    else:
        preview.consents[name] = given


def _shares_with_physician(provision: Any) -> bool:
    if not isinstance(provision, dict) or provision.get("type") != "permit":
        return False
    wanted = SHARE_WITH_PHYSICIAN
    codes = {
        (c.get("system"), c.get("code"))
        for a in provision.get("action") or []
        for c in a.get("coding") or []
    }
    roles = {
        (c.get("system"), c.get("code"))
        for actor in provision.get("actor") or []
        for c in (actor.get("role") or {}).get("coding") or []
    }
    action = wanted["action"][0]["coding"][0]
    role = wanted["actor"][0]["role"]["coding"][0]
    return (action["system"], action["code"]) in codes and (role["system"], role["code"]) in roles


def _response(preview: Preview, where: str, resource: dict) -> None:
    """A response to an instrument Kneadwell scores; answers checked by scoring them."""
    canonical = (resource.get("questionnaire") or "").split("|")[0]
    if not canonical.startswith(QUESTIONNAIRE_PREFIX):
        preview.problems.append(
            f"{where}: the questionnaire {canonical or '(none)'} is not one Kneadwell scores."
        )
        return
    try:
        instrument = get_instrument(canonical.removeprefix(QUESTIONNAIRE_PREFIX))
    except UnknownInstrument:
        preview.problems.append(
            f"{where}: the questionnaire {canonical} is not one Kneadwell scores."
        )
        return
    authored = parse_datetime(resource.get("authored") or "")
    if authored is None or authored.tzinfo is None:
        preview.problems.append(
            f"{where}: the response needs an authored date and time with a time zone."
        )
        return
    answers: dict[str, Any] = {}
    context: dict[str, Any] = {}
    choice_fields = {f.id: f for f in instrument.context if f.kind == "choice"}
    text_fields = {f.id for f in instrument.context if f.kind == "item_text"}
    for item in resource.get("item") or []:
        link = str(item.get("linkId", ""))
        values = [_value(a) for a in item.get("answer") or []]
        if link in choice_fields and values:
            context[link] = values[0]
        elif "-" in link and link.split("-", 1)[0] in text_fields and values:
            name, item_id = link.split("-", 1)
            context.setdefault(name, {})[item_id] = values[0]
        elif values:
            answers[link] = values if len(values) > 1 else values[0]
    try:
        score(instrument, answers, **context)
    except AnswerError as error:
        preview.problems.append(f"{where}: {error}")
        return
    preview.responses.append(
        {"instrument_id": instrument.id, "answers": answers, "taken_at": authored, **context}
    )


def _value(answer: dict) -> Any:
    if "valueCoding" in answer:
        code = answer["valueCoding"].get("code", "")
        return int(code) if str(code).lstrip("-").isdigit() else code
    if "valueInteger" in answer:
        return answer["valueInteger"]
    if "valueBoolean" in answer:
        return 1 if answer["valueBoolean"] else 0
    if "valueString" in answer:
        return answer["valueString"]
    if "valueDecimal" in answer:
        return answer["valueDecimal"]
    return None


def _derived_from(resource: dict, response_ids: set) -> bool:
    sources = [d.get("reference", "") for d in resource.get("derivedFrom") or []]
    return bool(sources) and all(
        s.startswith("QuestionnaireResponse/") and s.split("/", 1)[1] in response_ids
        for s in sources
    )


def _date(text: Any) -> date | None:
    try:
        return date.fromisoformat(text) if isinstance(text, str) and len(text) == 10 else None
    except ValueError:
        return None
