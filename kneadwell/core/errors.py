"""JSON errors with a `detail` a person can act on, and the right status."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja.errors import AuthenticationError, ValidationError


def _location(loc) -> str:
    parts = [str(p) for p in loc if p not in ("body", "payload", "query", "path")]
    return ".".join(parts) or "body"


def register(api) -> None:
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
