"""Appointment endpoints of /api/v1: the list (paginated), booking, moving, cancelling, the
clinic's types, and free slots for a therapist and type over a date range."""

from datetime import datetime, timedelta

from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError, ValidationError

from kneadwell.appointments import access, agenda, schedule
from kneadwell.appointments.models import Appointment, ClinicCalendar, Conflict
from kneadwell.audit.models import Action, Channel, log_access
from kneadwell.clients.access import get_client_for_user
from kneadwell.core.pages import Key, PageParams, keyset_page, page_of
from kneadwell.core.schemas import InputSchema, OffsetDateTime, QueryDay, RecordId

router = Router(tags=["appointments"])
PAGE_SIZE = 50
MAX_SLOT_DAYS = 31


class AppointmentOut(Schema):
    id: int
    client: int = Field(..., alias="client_id")
    therapist: int = Field(..., alias="therapist_id")
    type: int = Field(..., alias="appointment_type_id")
    room: int | None = Field(None, alias="room_id")
    plan: int | None = Field(None, alias="plan_id")
    starts_at: datetime
    ends_at: datetime
    status: str
    reassessment_due: bool
    booked_online: bool
    cancelled_at: datetime | None
    cancel_reason: str
    cancelled_late: bool | None


AppointmentPage = page_of(AppointmentOut)
ORDER = [Key("starts_at"), Key("id")]


class TypeOut(Schema):
    id: int
    name: str
    minutes: int
    colour: str
    bookable_online: bool


class SlotOut(Schema):
    starts_at: datetime
    ends_at: datetime


class AppointmentIn(InputSchema):
    client: RecordId
    therapist: RecordId
    type: RecordId
    starts_at: OffsetDateTime = Field(
        ..., description="With its UTC offset, e.g. 2026-03-31T10:00+01:00"
    )
    ends_at: OffsetDateTime | None = Field(None, description="Defaults to the type's length")
    room: RecordId | None = None
    outside_hours_reason: str = Field("", max_length=300, description="Owners only")


class MoveIn(InputSchema):
    starts_at: OffsetDateTime
    ends_at: OffsetDateTime | None = Field(None, description="Defaults to keeping the length")
    room: RecordId | None = None
    outside_hours_reason: str = Field("", max_length=300, description="Owners only")


class CancelIn(InputSchema):
    reason: str = Field(..., min_length=1, max_length=300)


def _aware(value: datetime, field: str) -> datetime:
    if value.tzinfo is None:
        raise ValidationError([{"loc": (field,), "msg": "Give the time with its UTC offset."}])
    _sensible(value, field)
    return value


def _sensible(value, field: str) -> None:
    if not schedule.FIRST_YEAR <= value.year <= schedule.LAST_YEAR:
        raise ValidationError([{"loc": (field,), "msg": "Choose a date between 1900 and 2200."}])


def _one(queryset, pk, field: str):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise ValidationError(
            [{"loc": (field,), "msg": "No such choice in this clinic."}]
        ) from None


def _reason(request, reason: str) -> str:
    if reason and not request.membership.is_owner:
        raise ValidationError(
            [{"loc": ("outside_hours_reason",), "msg": "Only the owner can book outside hours."}]
        )
    return reason


def _refuse(conflict: Conflict):
    where = {"starts_at": "starts_at", "room": "room", "ends_at": "ends_at"}
    field = where.get(conflict.code, "starts_at")
    status = 409 if conflict.code in ("starts_at", "room", "status") else 422
    if status == 409:
        raise HttpError(409, " ".join(conflict.messages))
    raise ValidationError([{"loc": (field,), "msg": " ".join(conflict.messages)}])


@router.get(
    "/appointments", response=AppointmentPage, summary="Appointments by time, a page at a time"
)
def list_appointments(
    request,
    params: Query[PageParams],
    since: QueryDay | None = None,
    until: QueryDay | None = None,
    therapist: RecordId | None = None,
    client: RecordId | None = None,
):
    appointments = access.appointments_for(request.membership)
    zone = ClinicCalendar.of(request.membership.clinic_id).zone
    for name, value in (("since", since), ("until", until)):
        if value:
            _sensible(value, name)
    if since:
        appointments = appointments.filter(starts_at__gte=schedule.day_span(since, zone)[0])
    if until:
        appointments = appointments.filter(starts_at__lt=schedule.day_span(until, zone)[1])
    if therapist:
        appointments = appointments.filter(therapist_id=therapist)
    if client:
        appointments = appointments.filter(client_id=client)
    page = keyset_page(appointments, ORDER, params)
    if page["items"]:
        ids = ",".join(str(a.client_id) for a in page["items"])
        log_access(request, Action.LIST, f"appointments of clients: {ids}", channel=Channel.API)
    return page


@router.post("/appointments", response={201: AppointmentOut}, summary="Book an appointment")
def create_appointment(request, payload: AppointmentIn):
    clinic_id = request.membership.clinic_id
    client = get_client_for_user(request, payload.client)
    kind = _one(access.types_of(clinic_id), payload.type, "type")
    starts = _aware(payload.starts_at, "starts_at")
    ends = _aware(payload.ends_at, "ends_at") if payload.ends_at else None
    try:
        appointment = Appointment.book(
            by=request.user,
            clinic_id=clinic_id,
            client=client,
            therapist=_one(access.therapists_of(clinic_id), payload.therapist, "therapist"),
            appointment_type=kind,
            starts_at=starts,
            ends_at=ends or starts + timedelta(minutes=kind.minutes),
            room=_one(access.rooms_of(clinic_id), payload.room, "room") if payload.room else None,
            outside_hours_reason=_reason(request, payload.outside_hours_reason),
        )
    except Conflict as conflict:
        _refuse(conflict)
    log_access(request, Action.CREATE, "appointment", client, channel=Channel.API)
    return Status(201, appointment)


@router.get("/appointments/{int:pk}", response=AppointmentOut, summary="An appointment")
def get_appointment(request, pk: int):
    appointment = access.get_appointment_for_user(request, pk)
    log_access(request, Action.VIEW, "appointment", appointment.client, channel=Channel.API)
    return appointment


@router.post("/appointments/{int:pk}/move", response=AppointmentOut, summary="Move")
def move_appointment(request, pk: int, payload: MoveIn):
    appointment = access.get_appointment_for_user(request, pk)
    starts = _aware(payload.starts_at, "starts_at")
    length = appointment.ends_at - appointment.starts_at
    ends = _aware(payload.ends_at, "ends_at") if payload.ends_at else starts + length
    room = (
        _one(access.rooms_of(appointment.clinic_id), payload.room, "room") if payload.room else None
    )
    try:
        appointment.move(
            starts_at=starts,
            ends_at=ends,
            room=room,
            by=request.user,
            outside_hours_reason=_reason(request, payload.outside_hours_reason),
        )
    except Conflict as conflict:
        _refuse(conflict)
    log_access(request, Action.UPDATE, "appointment (moved)", appointment.client, Channel.API)
    return appointment


@router.post("/appointments/{int:pk}/cancel", response=AppointmentOut, summary="Cancel")
def cancel_appointment(request, pk: int, payload: CancelIn):
    appointment = access.get_appointment_for_user(request, pk)
    try:
        appointment.cancel(by=request.user, reason=payload.reason)
    except Conflict as conflict:
        _refuse(conflict)
    log_access(request, Action.UPDATE, "appointment (cancelled)", appointment.client, Channel.API)
    return appointment


@router.get("/appointment-types", response=list[TypeOut], summary="The clinic's types")
def list_types(request):
    return list(access.types_of(request.membership.clinic_id))


@router.get(
    "/availability",
    response=list[SlotOut],
    summary="Free slots for a therapist and type",
    description=f"Every 15 minutes where the type fits; at most {MAX_SLOT_DAYS} days at once.",
)
def availability(request, therapist: RecordId, type: RecordId, since: QueryDay, until: QueryDay):  # noqa: A002
    clinic_id = request.membership.clinic_id
    _sensible(since, "since")
    _sensible(until, "until")
    if until < since or (until - since).days >= MAX_SLOT_DAYS:
        raise ValidationError(
            [{"loc": ("until",), "msg": f"Give a range of 1 to {MAX_SLOT_DAYS} days from since."}]
        )
    person = _one(access.therapists_of(clinic_id), therapist, "therapist")
    kind = _one(access.types_of(clinic_id), type, "type")
    return [
        {"starts_at": a, "ends_at": b}
        for a, b in agenda.free_slots(person, kind.minutes, since, until, clinic_id)
    ]
