"""What a clinic export carries beyond FHIR's own elements, so that `kneadwell import` gives back
every field: each resource of a Kneadwell record gets one extension (`RECORD`) whose value is the
record's own fields as JSON. Other systems read the FHIR elements and may ignore it; Kneadwell
reads it back. `dump` writes a record's fields, `load` turns them back into model arguments;
links to other records are the names of their resources in the export (`Practitioner/…`)."""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Callable
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.db import models

from kneadwell.interop.fhir import BASE

RECORD = f"{BASE}/StructureDefinition/record"
# Never exported: row numbers, the clinic (the whole export is one clinic) and the search
# copies that `save` computes again.
SKIPPED = {"id", "clinic", "search_family", "search_given", "search_preferred", "search_phone"}


# Parts of a client's record kept by an app above interop (the portal's access), which registers
# them with `client_part`: name → (dump(client, link) → JSON, load(client, data, resolve)).
# They travel in the Patient's record extension under their name.
CLIENT_PARTS: dict[str, tuple[Callable, Callable]] = {}


def client_part(name: str, dump: Callable, load: Callable) -> None:
    CLIENT_PARTS[name] = (dump, load)


class RecordError(ValueError):
    """A record in the export that cannot be read back (an unknown field, a missing link)."""


def dump(
    instance: models.Model, link: Callable[[type, Any], str | None], *, skip: tuple = ()
) -> dict[str, Any]:
    """The record's fields as JSON values; `link(model, pk)` names a linked record (None leaves
    the link out)."""
    found: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if field.name in SKIPPED or field.name in skip:
            continue
        if field.is_relation:
            pk = getattr(instance, field.attname)
            name = None if pk is None else link(field.related_model, pk)
            if pk is None or name is not None:
                found[field.name] = name
            continue
        found[field.name] = _json(field.value_from_object(instance))
    return found


def load(model: type[models.Model], data: dict[str, Any], resolve: Callable[[str], Any]):
    """Model arguments from `dump`'s output; `resolve(name)` gives the pk of a linked record.
    An unknown field or a link that names nothing in the export raises RecordError."""
    fields = {f.name: f for f in model._meta.concrete_fields if f.name not in SKIPPED}
    unknown = sorted(set(data) - set(fields))
    if unknown:
        raise RecordError(f"unknown fields for {model.__name__}: {', '.join(unknown)}")
    arguments: dict[str, Any] = {}
    for name, value in data.items():
        field = fields[name]
        if field.is_relation:
            arguments[field.attname] = None if value is None else resolve(value)
        elif value is None:
            arguments[name] = None
        else:
            try:
                arguments[name] = field.to_python(value)
            except Exception as error:  # a ValidationError or a bad base64 string
                raise RecordError(f"{model.__name__}.{name}: {value!r} is not valid") from error
    return arguments


def create(model: type[models.Model], arguments: dict[str, Any], **extra: Any) -> models.Model:
    """Save a record as it was, including the times Django would set itself (`auto_now`)."""
    instance = model(**arguments, **extra)
    instance.save()
    stamped = {
        f.name: arguments[f.name]
        for f in model._meta.concrete_fields
        if (getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False))
        and arguments.get(f.name) is not None
    }
    if stamped:
        model._base_manager.filter(pk=instance.pk).update(**stamped)
        for name, value in stamped.items():
            setattr(instance, name, value)
    return instance


def extension(data: dict[str, Any]) -> list[dict[str, Any]]:
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return [{"url": RECORD, "valueString": text}]


def read_extension(resource: dict[str, Any]) -> dict[str, Any] | None:
    """The record carried by a resource, or None when it has none (another system's file)."""
    for ext in resource.get("extension") or []:
        if isinstance(ext, dict) and ext.get("url") == RECORD:
            try:
                data = json.loads(ext.get("valueString") or "")
            except ValueError as error:
                raise RecordError("its Kneadwell record is not JSON") from error
            if not isinstance(data, dict):
                raise RecordError("its Kneadwell record is not an object")
            return data
    return None


def _json(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode()
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    return value
