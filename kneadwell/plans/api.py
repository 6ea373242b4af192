"""Plan endpoints of /api/v1: created from the condition's template, checked by the screening."""

from datetime import datetime

from django.db import transaction
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from kneadwell.audit.models import Action, Channel, log_access
from kneadwell.clients.access import get_client_for_user
from kneadwell.core.errors import check_forms
from kneadwell.core.pages import Key, PageParams, keyset_page, page_of
from kneadwell.core.schemas import InputSchema
from kneadwell.knowledge.loader import load_knowledge
from kneadwell.plans import safety
from kneadwell.plans.access import get_plan_for_user
from kneadwell.plans.build import draft_from_template
from kneadwell.plans.forms import PlanForm, initial_from_draft, initial_from_version
from kneadwell.plans.models import Plan

router = Router(tags=["plans"])


class PlanVersionOut(Schema):
    number: int
    goals: list[dict]
    techniques: list[str]
    focus_regions: list[str]
    max_pressure: int
    session_minutes: int | None
    sessions_per_week: int | None
    planned_sessions: int | None
    reassess_after_visits: int | None
    reassess_after_weeks: int | None
    combine_with: list[dict]
    measures: dict
    positioning: str
    notes: str
    change_note: str
    created_at: datetime


class PlanOut(Schema):
    id: int
    client: int = Field(..., alias="client_id")
    condition: str
    template: str
    status: str
    versions: list[PlanVersionOut]

    @staticmethod
    def resolve_versions(obj):
        return list(obj.versions.all())


class PlanChanges(InputSchema):
    """Plan values; anything left out keeps the template's (new plan) or current value."""

    goals: list[str] | None = None
    techniques: list[str] | None = None
    focus_regions: list[str] | None = None
    max_pressure: int | None = None
    session_minutes: int | None = None
    sessions_per_week: int | None = None
    planned_sessions: int | None = None
    reassess_after_visits: int | None = None
    reassess_after_weeks: int | None = None
    combine_with: list[str] | None = None
    measures_baseline: list[str] | None = None
    measures_every_visit: list[str] | None = None
    measures_periodic: list[str] | None = None
    positioning: str | None = None
    notes: str | None = None


class PlanCreate(PlanChanges):
    condition: str = Field(..., description="Knowledge-base condition id")
    goals: list[str] = Field(..., min_length=1, description="The client's goals, in their words")


class PlanUpdate(PlanChanges):
    change_note: str = Field(..., description="What changed and why (kept in the history)")


def _form(client, initial: dict, changes: dict, *, editing: bool) -> PlanForm:
    data = {**initial, **{k: v for k, v in changes.items() if v is not None}}
    if isinstance(data.get("goals"), list):
        data["goals"] = "\n".join(data["goals"])
    form = PlanForm(
        data=data,
        restrictions=safety.restrictions_for(client),
        psfs_activities=safety.psfs_activities(client),
        editing=editing,
    )
    check_forms(form)
    return form


@router.get(
    "/clients/{int:client_id}/plans",
    response=page_of(PlanOut),
    summary="A client's plans, newest first, a page at a time",
)
def list_plans(request, client_id: int, params: Query[PageParams]):
    client = get_client_for_user(request, client_id, clinical=True)
    log_access(request, Action.VIEW, "treatment plans", client, channel=Channel.API)
    plans = client.plans.prefetch_related("versions")
    return keyset_page(plans, [Key("created_at", True), Key("id", True)], params)


@router.post("/clients/{int:client_id}/plans", response={201: PlanOut}, summary="Start a plan")
def create_plan(request, client_id: int, payload: PlanCreate):
    client = get_client_for_user(request, client_id, clinical=True)
    template = load_knowledge().plan_for(payload.condition)
    if template is None:
        raise HttpError(422, f"Unknown condition '{payload.condition}'. See GET /library ids.")
    draft = draft_from_template(template, load_knowledge(), safety.restrictions_for(client))
    changes = payload.dict(exclude={"condition"})
    form = _form(client, {**initial_from_draft(draft), "goals": ""}, changes, editing=False)
    with transaction.atomic():
        plan = Plan.objects.create(
            clinic_id=client.clinic_id,
            client=client,
            condition=payload.condition,
            template=template.id,
            created_by=request.user,
        )
        plan.versions.create(number=1, created_by=request.user, **form.version_values())
        log_access(request, Action.CREATE, "treatment plan", client, channel=Channel.API)
    return Status(201, plan)


@router.get("/clients/{int:client_id}/plans/{int:plan_id}", response=PlanOut, summary="A plan")
def get_plan(request, client_id: int, plan_id: int):
    plan = get_plan_for_user(request, client_id, plan_id)
    log_access(request, Action.VIEW, "treatment plan", plan.client, channel=Channel.API)
    return plan


@router.post(
    "/clients/{int:client_id}/plans/{int:plan_id}/versions",
    response={201: PlanOut},
    summary="Change a plan (saved as its next version)",
)
def change_plan(request, client_id: int, plan_id: int, payload: PlanUpdate):
    plan = get_plan_for_user(request, client_id, plan_id)
    current = plan.current()
    form = _form(plan.client, initial_from_version(current), payload.dict(), editing=True)
    with transaction.atomic():
        plan.versions.create(
            number=current.number + 1, created_by=request.user, **form.version_values()
        )
        log_access(request, Action.UPDATE, "treatment plan (new version)", plan.client, Channel.API)
    return Status(201, plan)
