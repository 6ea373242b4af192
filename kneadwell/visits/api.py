"""Visit endpoints of /api/v1: drafts, signing (with screening enforcement) and addenda."""

from datetime import date, datetime, time

from django.db import transaction
from django.http import QueryDict
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError, ValidationError

from kneadwell.audit.models import Action, Channel, log_access
from kneadwell.clients.access import get_client_for_user
from kneadwell.core.errors import check_forms, form_errors
from kneadwell.core.pages import Key, PageParams, keyset_page, page_of
from kneadwell.core.schemas import InputSchema
from kneadwell.knowledge.loader import load_knowledge
from kneadwell.screening.enforce import enforce
from kneadwell.screening.forms import CheckinForm
from kneadwell.visits import notes
from kneadwell.visits.access import get_visit_for_user
from kneadwell.visits.forms import AdverseFormSet, TreatmentFormSet, VisitForm, rows

router = Router(tags=["visits"])


class TreatmentItem(InputSchema):
    technique: str
    region: str
    pressure: int = Field(..., ge=1, le=5)
    minutes: int | None = None
    position: str | None = Field(
        None, description="The client's position (a position id from the library vocabulary)"
    )


class AdverseEffect(InputSchema):
    kind: str
    onset_hours: int | None = None
    duration_hours: int | None = None
    severity: int | None = None
    action: str | None = None


class VisitFields(InputSchema):
    visit_date: date | None = None
    start_time: time | None = None
    duration_minutes: int | None = None
    nprs: int | None = Field(None, ge=0, le=10)
    client_report: str | None = None
    changes_since_last: str | None = None
    adverse_effects: list[AdverseEffect] | None = None
    objective: str | None = None
    pain_regions: list[str] | None = None
    treated_regions: list[str] | None = None
    treatment: list[TreatmentItem] | None = None
    assessment: str | None = None
    plan_text: str | None = None
    home_advice: str | None = None


class VisitCreate(VisitFields):
    from_last: bool = Field(False, description="Pre-fill from the last signed visit")


class SignIn(InputSchema):
    override_reason: str | None = Field(
        None, description="Clinical reason to go ahead despite a safety finding (logged)"
    )
    checkin: dict[str, bool] | None = Field(
        None,
        description="Today's every-visit red flags (sciatica, stenosis), by red-flag id, and "
        "today's check-in items (fever, hypertension_uncontrolled), by their ids: true is yes. "
        "Required to sign for such a client unless this visit already has its check-in.",
    )


class AddendumIn(InputSchema):
    text: str = Field(..., min_length=1)


class AddendumOut(Schema):
    author: str
    text: str
    created_at: datetime

    @staticmethod
    def resolve_author(obj):
        return obj.author.email


class VisitOut(Schema):
    id: int
    client: int = Field(..., alias="client_id")
    therapist: str
    status: str
    visit_date: date
    start_time: str | None = Field(
        description="The clinic's wall-clock time, HH:MM:SS (no offset: OpenAPI's time format "
        "would require one)"
    )
    duration_minutes: int | None
    nprs: int | None
    client_report: str
    changes_since_last: str
    adverse_effects: list[dict]
    objective: str
    pain_regions: list[str]
    treated_regions: list[str]
    treatment: list[dict]
    assessment: str
    plan_text: str
    home_advice: str
    signed_at: datetime | None
    addenda: list[AddendumOut]

    @staticmethod
    def resolve_therapist(obj):
        return obj.therapist.email

    @staticmethod
    def resolve_start_time(obj):
        return obj.start_time.isoformat() if obj.start_time else None

    @staticmethod
    def resolve_addenda(obj):
        return list(obj.addenda.all())


def _querydict(visit, changes: dict) -> QueryDict:
    """The same form data the page posts, so the API applies exactly the same rules."""
    data = QueryDict(mutable=True)
    for name in VisitForm.Meta.fields:
        value = changes.get(name, getattr(visit, name))
        if value is None:
            continue
        if isinstance(value, list):
            data.setlist(name, [str(v) for v in value])
        else:
            data[name] = value.isoformat() if hasattr(value, "isoformat") else str(value)
    for prefix, key in (("t", "treatment"), ("ae", "adverse_effects")):
        items = changes.get(key, getattr(visit, key)) or []
        data[f"{prefix}-TOTAL_FORMS"] = str(max(len(items), 1))
        data[f"{prefix}-INITIAL_FORMS"] = "0"
        for index, item in enumerate(items):
            for field, value in item.items():
                if value is not None:
                    data[f"{prefix}-{index}-{field}"] = str(value)
    return data


def _apply(request, visit, changes: dict):
    data = _querydict(visit, changes)
    form = VisitForm(data, instance=visit)
    treatment = TreatmentFormSet(data, prefix="t")
    adverse = AdverseFormSet(data, prefix="ae")
    check_forms(form, (treatment, "treatment"), (adverse, "adverse_effects"))
    notes.apply(visit, form, rows(treatment), rows(adverse))


@router.get(
    "/clients/{int:client_id}/visits",
    response=page_of(VisitOut),
    summary="A client's visits, newest first, a page at a time",
)
def list_visits(request, client_id: int, params: Query[PageParams]):
    client = get_client_for_user(request, client_id, clinical=True)
    log_access(request, Action.VIEW, "visit notes", client, channel=Channel.API)
    visits = client.visits.select_related("therapist").prefetch_related("addenda__author")
    order = [Key("visit_date", True), Key("start_time", True), Key("id", True)]
    return keyset_page(visits, order, params)


@router.post("/clients/{int:client_id}/visits", response={201: VisitOut}, summary="Start a draft")
def create_visit(request, client_id: int, payload: VisitCreate):
    client = get_client_for_user(request, client_id, clinical=True)
    with transaction.atomic():  # a refused draft leaves nothing behind
        visit = notes.start_visit(client, request.user, from_last=payload.from_last)
        changes = payload.dict(exclude={"from_last"}, exclude_none=True)
        if changes:
            _apply(request, visit, changes)
            notes.save_valid(visit)
        log_access(request, Action.CREATE, "visit note (draft)", client, channel=Channel.API)
    return Status(201, visit)


@router.get("/clients/{int:client_id}/visits/{int:visit_id}", response=VisitOut, summary="A visit")
def get_visit(request, client_id: int, visit_id: int):
    visit = get_visit_for_user(request, client_id, visit_id)
    log_access(request, Action.VIEW, "visit note", visit.client, channel=Channel.API)
    return visit


@router.patch(
    "/clients/{int:client_id}/visits/{int:visit_id}", response=VisitOut, summary="Change a draft"
)
def update_visit(request, client_id: int, visit_id: int, payload: VisitFields):
    visit = get_visit_for_user(request, client_id, visit_id)
    if visit.is_signed:
        raise HttpError(409, "This note is signed. Add an addendum instead.")
    _apply(request, visit, payload.dict(exclude_unset=True))
    notes.save_valid(visit)
    log_access(request, Action.UPDATE, "visit note", visit.client, channel=Channel.API)
    return visit


@router.post(
    "/clients/{int:client_id}/visits/{int:visit_id}/sign",
    response=VisitOut,
    summary="Sign a draft (screening enforced; 409 when it forbids the treatment)",
)
def sign_visit(request, client_id: int, visit_id: int, payload: SignIn):
    visit = get_visit_for_user(request, client_id, visit_id)
    if visit.is_signed:
        raise HttpError(409, "This note is already signed. Add an addendum instead.")
    _checkin(request, visit, payload.checkin)
    result = enforce(
        visit.client,
        visit.treatment_items(),
        override_reason=payload.override_reason,
        request=request,
        channel=Channel.API,
    )
    if not result.allowed:
        details = " ".join([result.message] + [v.message for v in result.violations])
        raise HttpError(409, f"{details} Send override_reason to go ahead anyway.")
    notes.sign(visit, request.user)
    log_access(request, Action.UPDATE, "visit note signed", visit.client, channel=Channel.API)
    return visit


def _checkin(request, visit, answers: dict[str, bool] | None) -> None:
    """Record today's check-in from the sign request, through the page's form; 422 when it is
    incomplete or names a question that is not asked, 409 when it is needed and not sent."""
    conditions = notes.checkin_conditions(visit.client)
    if answers is None:
        if conditions and visit.checkin_id is None:
            raise HttpError(
                409,
                "Answer today's red-flag check-in first: send checkin with true (yes) or false "
                "(no) for each red flag in GET /api/v1/screening/questions marked every_visit "
                "for the client's conditions.",
            )
        return
    # Red-flag ids, and the check-in items (fever, symptomatic high blood pressure) by their ids.
    items = {item.id for item in load_knowledge().checkin_items()}
    form = CheckinForm(
        {
            f"{'today' if key in items else 'rf'}_{key}": "yes" if yes else "no"
            for key, yes in answers.items()
        },
        conditions=conditions,
    )
    entries = [
        {"loc": ("checkin", flag), "msg": "This question is not asked at this client's check-in."}
        for flag in answers
        if flag not in form.flag_ids and flag not in form.today_ids
    ]
    if not form.is_valid():
        entries += [
            {
                **entry,
                "loc": (
                    "checkin",
                    entry["loc"][-1].removeprefix("rf_").removeprefix("today_"),
                ),
            }
            for entry in form_errors(form)
        ]
    if entries:
        raise ValidationError(entries)
    if notes.record_checkin(visit, form.red_flags(), request.user, form.today()):
        log_access(
            request, Action.CREATE, "visit check-in screening", visit.client, channel=Channel.API
        )


@router.post(
    "/clients/{int:client_id}/visits/{int:visit_id}/addenda",
    response={201: VisitOut},
    summary="Add an addendum to a signed note",
)
def add_addendum(request, client_id: int, visit_id: int, payload: AddendumIn):
    visit = get_visit_for_user(request, client_id, visit_id)
    if not visit.is_signed:
        raise HttpError(409, "This note is still a draft; change it directly instead.")
    visit.addenda.create(author=request.user, text=payload.text)
    log_access(request, Action.UPDATE, "visit note addendum", visit.client, channel=Channel.API)
    return Status(201, visit)
