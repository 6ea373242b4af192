"""Screening endpoints of /api/v1: questions, evaluation, intakes, findings and treatment checks.

Same scoping, forms and access log as the pages; client routes need clinical access.
"""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError

from kneadwell.audit.models import Action, Channel, log_access
from kneadwell.clients.access import get_client_for_user
from kneadwell.core.errors import check_forms
from kneadwell.core.pages import Key, PageParams, keyset_page, page_of
from kneadwell.core.schemas import InputSchema
from kneadwell.knowledge.loader import load_knowledge
from kneadwell.screening import enforce as enforcement
from kneadwell.screening.engine import Finding
from kneadwell.screening.findings import current_findings, restriction_text
from kneadwell.screening.forms import IntakeForm

router = Router(tags=["screening"])


class Detail(Schema):
    detail: str


class QuestionOut(Schema):
    id: str
    question: str
    group: str
    tier: str
    action: str
    every_visit: bool
    applies_to: str | list[str] = Field(..., description='"all" or a list of condition ids')
    on_its_own: bool = Field(
        True, description="False: a weak feature that counts only in combination rules"
    )


class AnswersIn(InputSchema):
    conditions: list[str] = []
    medication_classes: list[str] = []
    history: list[str] = []
    findings: list[str] = Field([], description="Things seen or reported today, e.g. fever")
    red_flags: dict[str, bool] = Field({}, description="Red-flag id: true for yes")
    areas: dict[str, list[str]] = Field(
        {}, description="History item or finding id: the body regions it affects"
    )
    pain_areas: list[str] = []
    pregnancy_week: int | None = Field(None, ge=1, le=45)


class EvaluateIn(AnswersIn):
    treated_regions: list[str] = Field([], description="Regions to be worked on")
    age: int | None = Field(
        None, ge=0, le=130, description="The client's age in years (a combination feature)"
    )


class IntakeIn(AnswersIn):
    complaint: str
    red_flags: dict[str, bool] = Field(
        ...,
        description="Every red flag that applies to the client's conditions (GET "
        "/screening/questions): true for yes, false for no",
    )
    onset: date | None = None
    duration: str = ""
    medications: str = ""
    goals: str = ""
    consent: bool


class RestrictionOut(Schema):
    kind: str
    regions: list[str] | None
    technique: str | None
    max_pressure: int | None
    advice: str
    unmarked: bool
    positions: list[str] = []
    until_cleared: bool = False
    text: str


class FindingOut(Schema):
    id: str
    source: str
    name: str
    tier: str
    reason: str
    action: str
    blocking: bool
    cleared: bool = False
    referral_due_days: int | None = Field(
        None, description="The referral the tier asks for is due this many days after (0: today)"
    )
    restrictions: list[RestrictionOut]
    sources: list[str]


class IntakeOut(Schema):
    id: int
    created_at: datetime
    created_by: int
    answers: dict
    findings: list[FindingOut]


class FindingsOut(Schema):
    screening_id: int | None
    screened_at: datetime | None
    kind: str | None
    blocked: bool
    findings: list[FindingOut]


class TreatmentItemIn(InputSchema):
    technique: str
    region: str
    pressure: int = Field(..., ge=1, le=5)
    position: str | None = Field(None, description="The client's position (a position id)")


class CheckIn(InputSchema):
    treatment: list[TreatmentItemIn]
    override_reason: str | None = Field(
        None, description="Go ahead despite the findings; stored as overrides and logged"
    )


class ViolationOut(Schema):
    finding_id: str
    kind: str
    message: str
    technique: str
    region: str
    pressure: int | None
    position: str


class CheckOut(Schema):
    allowed: bool
    blocked: bool
    message: str
    blocking: list[str]
    violations: list[ViolationOut]
    overrides: list[int]


def _finding_out(finding: Finding, cleared: set[str] = frozenset()) -> dict:
    data = finding.to_dict()
    for restriction, out in zip(finding.restrictions, data["restrictions"], strict=True):
        out["text"] = restriction_text(restriction)
    data["blocking"] = finding.blocking and finding.id not in cleared
    data["cleared"] = finding.id in cleared
    return data


def _check_ids(payload: AnswersIn) -> None:
    """422 naming every id the knowledge base does not know."""
    kb = load_knowledge()
    tables = {
        "conditions": kb.conditions,
        "medication_classes": kb.medication_classes,
        "history": kb.history_items,
        "findings": kb.findings,
        "red_flags": kb.red_flags,
        "pain_areas": kb.body_regions,
        "treated_regions": kb.body_regions,
    }
    errors = []
    for name, table in tables.items():
        unknown = [i for i in getattr(payload, name, []) if i not in table]
        if unknown:
            errors.append({"loc": (name,), "msg": f"unknown id(s): {', '.join(unknown)}"})
    for item, regions in payload.areas.items():
        unknown = [r for r in regions if r not in kb.body_regions]
        if unknown:
            errors.append({"loc": ("areas", item), "msg": f"unknown region(s): {unknown}"})
    if errors:
        raise NinjaValidationError(errors)


def _clinical(request) -> None:
    if not request.membership.sees_clinical:
        raise PermissionDenied("Front-desk accounts do not see clinical content.")


@router.get("/screening/questions", response=list[QuestionOut], summary="Red-flag questions")
def questions(request):
    return [flag.model_dump() for flag in load_knowledge().red_flags.values()]


@router.post(
    "/screening/evaluate",
    response={200: list[FindingOut], 403: Detail},
    summary="Evaluate answers under your clinic's rules (nothing is stored)",
)
def evaluate(request, payload: EvaluateIn):
    _clinical(request)
    _check_ids(payload)
    findings = enforcement.evaluate_for(request.membership.clinic_id, payload.dict())
    return [_finding_out(f) for f in findings]


@router.get(
    "/clients/{int:client_id}/intakes",
    response={200: page_of(IntakeOut), 403: Detail, 404: Detail},
    summary="A client's intakes, newest first, with the findings of each, a page at a time",
)
def list_intakes(request, client_id: int, params: Query[PageParams]):
    client = get_client_for_user(request, client_id, clinical=True)
    log_access(request, Action.VIEW, "intakes", client, channel=Channel.API)
    intakes = client.intakes.prefetch_related("screenings")
    page = keyset_page(intakes, [Key("created_at", True), Key("id", True)], params)
    return {**page, "items": [_intake_out(intake) for intake in page["items"]]}


def _intake_out(intake) -> dict:
    screening = next(iter(intake.screenings.all()), None)
    findings = screening.get_findings() if screening else []
    return {
        "id": intake.pk,
        "created_at": intake.created_at,
        "created_by": intake.created_by_id,
        "answers": intake.answers,
        "findings": [_finding_out(f) for f in findings],
    }


@router.post(
    "/clients/{int:client_id}/intakes",
    response={201: IntakeOut, 403: Detail, 404: Detail},
    summary="Record an intake; it is screened at once",
)
def create_intake(request, client_id: int, payload: IntakeIn):
    client = get_client_for_user(request, client_id, clinical=True)
    _check_ids(payload)
    answers = payload.dict()
    answers["onset"] = answers["onset"].isoformat() if answers["onset"] else None
    form = IntakeForm(data=IntakeForm.data_from_answers(answers), born=client.birth_date)
    check_forms(form)
    with transaction.atomic():
        intake, _ = enforcement.record_intake(client, form.answers(), request.user)
        log_access(request, Action.CREATE, "intake and screening", client, channel=Channel.API)
    return Status(201, _intake_out(intake))


@router.get(
    "/clients/{int:client_id}/findings",
    response={200: FindingsOut, 403: Detail, 404: Detail},
    summary="Current findings from the latest screening, under the clinic's current rules",
)
def findings(request, client_id: int):
    client = get_client_for_user(request, client_id, clinical=True)
    log_access(request, Action.VIEW, "safety findings", client, channel=Channel.API)
    screening = enforcement.latest_screening(client)
    current, cleared = current_findings(client)
    return {
        "screening_id": screening.pk if screening else None,
        "screened_at": screening.at if screening else None,
        "kind": screening.kind if screening else None,
        "blocked": any(f.blocking and f.id not in cleared for f in current),
        "findings": [_finding_out(f, cleared) for f in current],
    }


@router.post(
    "/clients/{int:client_id}/screening/check-treatment",
    response={200: CheckOut, 403: Detail, 404: Detail, 409: Detail},
    summary="Check a treatment against the findings; with override_reason, record overrides",
    description="409 when an emergency or urgent finding blocks treatment, or no screening "
    "exists: only a physician's clearance or a new screening lifts that, not an override.",
)
def check_treatment(request, client_id: int, payload: CheckIn):
    client = get_client_for_user(request, client_id, clinical=True)
    kb = load_knowledge()
    _check_treatment_ids(payload, kb)
    log_access(request, Action.VIEW, "safety findings (treatment check)", client, Channel.API)
    result = enforcement.enforce(
        client,
        [item.dict() for item in payload.treatment],
        override_reason=payload.override_reason,
        request=request,
        channel=Channel.API,
    )
    if result.blocked and not result.allowed:
        raise HttpError(409, result.message)
    return {
        "allowed": result.allowed,
        "blocked": result.blocked,
        "message": result.message,
        "blocking": [f.id for f in result.blocking],
        "violations": [v.__dict__ for v in result.violations],
        "overrides": [o.pk for o in result.overrides],
    }


def _check_treatment_ids(payload: CheckIn, kb) -> None:
    errors = []
    for index, item in enumerate(payload.treatment):
        if item.technique not in kb.techniques:
            errors.append({"loc": ("treatment", index, "technique"), "msg": "unknown technique"})
        if item.region not in kb.body_regions:
            errors.append({"loc": ("treatment", index, "region"), "msg": "unknown body region"})
        if item.position and item.position not in kb.positions:
            errors.append({"loc": ("treatment", index, "position"), "msg": "unknown position"})
    if errors:
        raise NinjaValidationError(errors)
