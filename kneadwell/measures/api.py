"""Outcome-measure endpoints of /api/v1: record and read responses, export them as FHIR, and
describe the instruments. The same scoping, scoring and access log as the pages."""

from datetime import datetime
from typing import Any, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import ValidationError
from pydantic import field_validator
from pydantic_core import PydanticCustomError

from kneadwell.audit.models import Action, Channel, log_access
from kneadwell.clients.access import get_client_for_user
from kneadwell.core.pages import Key, PageParams, keyset_page, page_of
from kneadwell.core.schemas import InputSchema
from kneadwell.core.validators import past_moment
from kneadwell.knowledge.instruments.registry import (
    UnknownInstrument,
    load_instruments,
)
from kneadwell.knowledge.instruments.scoring import AnswerError
from kneadwell.measures.access import get_response_for_user
from kneadwell.measures.models import InstrumentSetting, Response, Source

router = Router(tags=["measures"])


class Detail(Schema):
    detail: str


class AnswerProblem(Schema):
    detail: str = Field(description="What is wrong, naming the item and the allowed values")
    item: str | None = Field(None, description="The item (or context field) at fault")
    allowed: str | None = Field(None, description="The values that item accepts")


class ResponseIn(InputSchema):
    """Answers only: scores are always computed, so sending a score is refused."""

    instrument: str = Field(description="Instrument id, e.g. odi")
    answers: dict[str, Any] = Field(
        description="Item id → the scoring-sheet number; leave missing answers out"
    )
    recall: str | None = Field(None, description="NPRS: now, worst_24h, average_24h, average_week")
    activities: dict[str, str] | None = Field(None, description="PSFS: item id → activity")
    rule: str | None = Field(None, description="Missing-item rule; default: the clinic's")
    taken_at: datetime | None = Field(None, description="When it was taken; default: now")
    source: Literal["staff", "client"] = Source.STAFF

    @field_validator("taken_at")
    @classmethod
    def _not_in_the_future(cls, value: datetime | None) -> datetime | None:
        if value is not None:
            try:
                past_moment(value, "the time it was taken")
            except DjangoValidationError as error:
                raise PydanticCustomError("date_range", error.messages[0]) from None
        return value


class ResponseOut(Schema):
    id: int
    client: int = Field(alias="client_id")
    instrument: str
    instrument_version: str
    answers: dict[str, Any]
    score: float | None = Field(description="Full precision; None where there is no total (ZCQ)")
    score_display: float | None = Field(description="Rounded half up as shown to people")
    subscores: dict[str, float | None]
    band: str
    rule: str = Field(description="The missing-item rule the score was computed with")
    prorated: bool
    context: dict[str, Any]
    notes: list[str]
    taken_at: datetime
    source: str
    entered_by: int | None = Field(alias="entered_by_id")
    created_at: datetime

    @staticmethod
    def resolve_score_display(obj: Response):
        return obj.display_score


class MissingRuleOut(Schema):
    id: str
    description: str


class InstrumentOut(Schema):
    id: str
    name: str
    short_name: str
    version: str
    licence: str
    ships_text: bool
    direction: str
    range: tuple[float, float]
    items: list[str]
    subscales: list[str]
    context: list[str]
    missing_rules: list[MissingRuleOut]
    clinic_rule: str = Field(description="The missing-item rule this clinic scores by")


@router.post(
    "/clients/{int:client_id}/responses",
    response={201: ResponseOut, 403: Detail, 404: Detail, 422: AnswerProblem},
    summary="Record a questionnaire response (scores are computed)",
)
def create_response(request, client_id: int, payload: ResponseIn):
    client = get_client_for_user(request, client_id, clinical=True)
    context = {
        k: v
        for k, v in (("recall", payload.recall), ("activities", payload.activities))
        if v is not None
    }
    try:
        with transaction.atomic():
            response = Response.record(
                client,
                payload.instrument,
                payload.answers,
                rule=payload.rule,
                taken_at=payload.taken_at,
                entered_by=request.user,
                source=payload.source,
                **context,
            )
            log_access(
                request,
                Action.CREATE,
                f"outcome measure: {response.spec.short_name}",
                client,
                Channel.API,
            )
    except UnknownInstrument as exc:
        return Status(422, {"detail": str(exc), "item": "instrument"})
    except AnswerError as exc:
        return Status(422, {"detail": str(exc), "item": exc.item, "allowed": exc.allowed})
    return Status(201, response)


@router.get(
    "/clients/{int:client_id}/responses",
    response={200: page_of(ResponseOut), 403: Detail, 404: Detail},
    summary="A client's questionnaire responses, newest first, a page at a time",
)
def list_responses(
    request, client_id: int, params: Query[PageParams], instrument: str | None = None
):
    client = get_client_for_user(request, client_id, clinical=True)
    responses = client.measure_responses.all()
    if instrument is not None:
        if instrument not in load_instruments():
            raise ValidationError([{"loc": ("query", "instrument"), "msg": "unknown instrument"}])
        responses = responses.filter(instrument=instrument)
    log_access(request, Action.VIEW, "outcome measures", client, Channel.API)
    return keyset_page(responses, [Key("taken_at", True), Key("id", True)], params)


@router.get(
    "/responses/{int:response_id}",
    response={200: ResponseOut, 403: Detail, 404: Detail},
    summary="One questionnaire response",
)
def get_response(request, response_id: int):
    response = get_response_for_user(request, response_id)
    what = f"outcome measure: {response.spec.short_name}"
    log_access(request, Action.VIEW, what, response.client, Channel.API)
    return response


@router.get("/instruments", response=list[InstrumentOut], summary="The outcome measures")
def list_instruments(request):
    rules = InstrumentSetting.rules_by_instrument(request.membership.clinic_id)
    return [_instrument_out(i, rules[i.id]) for i in load_instruments().values()]


def _instrument_out(instrument, clinic_rule: str) -> dict:
    return {
        "id": instrument.id,
        "name": instrument.name,
        "short_name": instrument.short_name,
        "version": instrument.version,
        "licence": instrument.licence.status.value,
        "ships_text": instrument.licence.ships_text,
        "direction": instrument.direction.value,
        "range": instrument.range,
        "items": [i.id for i in instrument.items],
        "subscales": [s.id for s in instrument.subscales],
        "context": [c.id for c in instrument.context],
        "missing_rules": [
            {"id": r.id, "description": r.description.strip()} for r in instrument.missing.rules
        ],
        "clinic_rule": clinic_rule,
    }
