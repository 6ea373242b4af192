"""The base of every `/api/v1` input schema: unknown fields are refused, never ignored; a body
must be a JSON object; numbers and yes/no are JSON numbers and booleans, not text; dates and
times are plausible; ids fit the database."""

import types
import typing
from datetime import date, datetime, time
from typing import Annotated, Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from ninja import Field, Schema
from pydantic import (
    AfterValidator,
    BeforeValidator,
    ConfigDict,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from kneadwell.core.validators import EARLIEST, LATEST, MAX_ID, plausible_day


def _iso_day(value: Any) -> Any:
    """A day in a query string must be written as one (2026-11-20): pydantic would read "0" or
    "1700000000" as seconds since 1970."""
    if isinstance(value, str) and not (len(value) == 10 and value[4] == "-" and value[7] == "-"):
        raise PydanticCustomError("date_format", "give a date as YYYY-MM-DD, e.g. 2026-11-20")
    if isinstance(value, int | float | bool):
        raise PydanticCustomError("date_format", "give a date as YYYY-MM-DD, e.g. 2026-11-20")
    return value


def _plausible_day(value: date) -> date:
    try:
        plausible_day(value)
    except DjangoValidationError as error:
        raise PydanticCustomError("date_range", error.messages[0]) from None
    return value


# A day given as a query parameter: written YYYY-MM-DD, and plausible (1900 to 2100).
QueryDay = Annotated[date, BeforeValidator(_iso_day), AfterValidator(_plausible_day)]


def _with_offset(value: Any) -> Any:
    """A moment that must carry its UTC offset (``Z`` or ``+01:00``): booking is in the clinic's
    own zone, so a bare "10:00" would be guessed in the server's."""
    if isinstance(value, str) and "T" in value:
        clock = value.split("T", 1)[1]
        if not (clock.endswith(("Z", "z")) or "+" in clock or "-" in clock):
            raise PydanticCustomError(
                "offset_missing", "give the time with its UTC offset, e.g. 2026-03-31T10:00+01:00"
            )
    return value


# A moment given with its UTC offset (naive times are refused rather than guessed).
OffsetDateTime = Annotated[datetime, BeforeValidator(_with_offset)]

# A record id: positive, and small enough for the database's 64-bit keys (2**63 overflows).
RecordId = Annotated[int, Field(ge=1, le=MAX_ID)]

_JSON_KIND = {dict: "an object", list: "a list", str: "text", bool: "true or false"}


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    for cls, name in _JSON_KIND.items():
        if isinstance(value, cls):
            return name
    return "a number" if isinstance(value, int | float) else type(value).__name__


def _wrong_json_type(annotation: Any, value: Any) -> str | None:
    """What the JSON should have held when `value` is text where `annotation` wants a number,
    anything but true/false for a yes/no, or a number for a date; None when it is none of
    these mistakes (pydantic's own checks see to the rest)."""
    origin = typing.get_origin(annotation)
    if origin is Annotated:
        return _wrong_json_type(typing.get_args(annotation)[0], value)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(annotation) if a is not type(None)]
        found = [_wrong_json_type(a, value) for a in options]
        return found[0] if found and all(found) else None
    if origin is list and isinstance(value, list):
        [item] = typing.get_args(annotation) or [Any]
        return next(filter(None, (_wrong_json_type(item, v) for v in value)), None)
    if origin is dict and isinstance(value, dict):
        _, item = typing.get_args(annotation) or (Any, Any)
        return next(filter(None, (_wrong_json_type(item, v) for v in value.values())), None)
    if annotation is bool and not isinstance(value, bool) and value is not None:
        return "true or false"
    if annotation in (int, float) and isinstance(value, str | bool):
        return "a number"
    if annotation in (date, datetime, time) and isinstance(value, int | float):
        # pydantic would read a number as seconds since 1970
        return "a date or time as text, for example 2026-11-20 or 2026-11-20T09:30:00Z"
    return None


class InputSchema(Schema):
    """An API request body. A field the schema does not name is a 422, not silently dropped.

    Every input schema derives from this one (issue 12), nested ones too; output schemas keep
    ninja's `Schema`. The 422's wording (and the "did you mean" for a near miss) is
    `core/errors.py`'s.
    """

    model_config = ConfigDict(extra="forbid", from_attributes=False)

    @model_validator(mode="wrap")
    @classmethod
    def _run_root_validator(cls, values, handler, info):
        # Replaces ninja's, which reads any object's attributes: a list or a string sent for
        # an object would pass with every field at its default.
        if isinstance(values, cls):
            return values
        if not isinstance(values, dict):
            raise PydanticCustomError(
                "model_type",
                "send an object with named fields, not {kind}",
                {"kind": _kind(values)},
            )
        return handler(values)

    @field_validator("*", mode="before")
    @classmethod
    def _json_types(cls, value, info):
        wanted = _wrong_json_type(cls.model_fields[info.field_name].annotation, value)
        if wanted:
            raise PydanticCustomError(
                "json_type", "send {wanted}, not {kind}", {"wanted": wanted, "kind": _kind(value)}
            )
        return value

    @field_validator("*", mode="after")
    @classmethod
    def _plausible_dates(cls, value, info):
        if isinstance(value, datetime) and timezone.is_naive(value):
            value = timezone.make_aware(value)  # a time without an offset is the clinic's
        if isinstance(value, datetime | date):
            try:
                plausible_day(value if type(value) is date else _local_day(value))
            except DjangoValidationError as error:
                raise PydanticCustomError("date_range", error.messages[0]) from None
        if isinstance(value, time) and value.tzinfo is not None:
            # A wall-clock time with an offset ("14:30Z"): the clinic's time at that moment.
            moment = datetime.combine(timezone.localdate(), value)
            return timezone.localtime(moment).time().replace(tzinfo=None)
        return value


def _local_day(moment: datetime) -> date:
    if moment.year <= EARLIEST.year or moment.year >= LATEST.year:
        return moment.date()  # too far out to convert safely; plausible_day refuses it anyway
    return timezone.localtime(moment).date()
