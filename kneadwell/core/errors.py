"""JSON errors with a `detail` a person can act on, and the right status."""

import difflib
import typing

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja.errors import AuthenticationError, ValidationError
from pydantic import BaseModel


def _location(loc) -> str:
    parts = [str(p) for p in loc if p not in ("body", "payload", "query", "path")]
    return ".".join(parts) or "body"


def _model_in(annotation) -> type[BaseModel] | None:
    """The schema inside `annotation` (through Optional, list[...], dict[..., ...])."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        if found := _model_in(arg):
            return found
    return None


def _known_fields(model: type[BaseModel], loc: tuple) -> list[str]:
    """The field names of the schema at `loc` (a pydantic error location) inside `model`."""
    for part in loc:
        field = model.model_fields.get(part) if isinstance(part, str) else None
        if field is not None:
            model = _model_in(field.annotation) or model
    return list(model.model_fields)


def unknown_field_message(name: str, known: list[str]) -> str:
    """ "unknown field; did you mean medication_classes?" for a near miss of a known name."""
    close = difflib.get_close_matches(str(name), known, n=1, cutoff=0.6)
    if close:
        return f"unknown field; did you mean {close[0]}?"
    return f"unknown field (this one takes: {', '.join(known)})"


def _explain_unknown_fields(original):
    """Wraps ninja's conversion of pydantic errors: an unknown field's message names the field
    meant, found among the fields of the schema it was sent to."""

    def convert(error_contexts):
        entries = []
        for context in error_contexts:
            for e in context.pydantic_validation_error.errors(include_url=False):
                if e["type"] == "extra_forbidden":
                    known = _known_fields(context.model, e["loc"][:-1])
                    entries.append(unknown_field_message(e["loc"][-1], known))
        converted = original(error_contexts)
        suggestions = iter(entries)
        for error in converted.errors:
            if error.get("type") == "extra_forbidden":
                error["msg"] = next(suggestions)
        return converted

    return convert


def register(api) -> None:
    api.validation_error_from_error_contexts = _explain_unknown_fields(
        api.validation_error_from_error_contexts
    )

    @api.exception_handler(ValidationError)
    def validation_error(request, exc):
        errors = [
            {"field": _location(e.get("loc", ())), "message": e.get("msg", "is not valid")}
            for e in exc.errors
        ]
        text = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
        return api.create_response(
            request, {"detail": f"Fix these fields: {text}", "errors": errors}, status=422
        )

    @api.exception_handler(AuthenticationError)
    def auth_error(request, exc):
        # An expired token's error carries its own sentence (api.auth.RefusedToken).
        detail = getattr(exc, "detail", None) or (
            "Sign in, or send a valid token as 'Authorization: Bearer TOKEN'."
        )
        return api.create_response(request, {"detail": detail}, status=401)

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc):
        detail = str(exc) or "Your role does not allow this."
        return api.create_response(request, {"detail": detail}, status=403)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return api.create_response(request, {"detail": "Not found."}, status=404)


def form_errors(form, *at) -> list[dict]:
    """A Django form's (or formset's) errors as ninja error entries, located under `at`."""
    if hasattr(form, "forms"):  # a formset: one location per row
        entries = []
        for index, row in enumerate(form.forms):
            entries += form_errors(row, *at, index)
        entries += [{"loc": at, "msg": m} for m in form.non_form_errors()]
        return entries
    return [{"loc": (*at, field), "msg": " ".join(msgs)} for field, msgs in form.errors.items()]


def check_forms(*forms) -> None:
    """Validate every form; if any is invalid, answer 422 naming each field (one way for all).

    Pass a form, or (form, location...) to place a formset's rows, e.g. (treatment, "treatment").
    """
    entries = []
    for item in forms:
        form, *at = item if isinstance(item, tuple) else (item,)
        if not form.is_valid():
            entries += form_errors(form, *at)
    if entries:
        raise ValidationError(entries)
