"""The sign-in lockout's settings for django-axes, and the owner's unlock.

Axes counts failed sign-ins per email address and keeps, for each, the time of the last
failure, so a lock lasts KNEADWELL_LOCKOUT_MINUTES from the last failed attempt.
"""

from datetime import timedelta

from axes.handlers.proxy import AxesProxyHandler
from axes.utils import reset
from django.conf import settings


def failure_limit(request, credentials) -> int:
    return settings.KNEADWELL_LOCKOUT_ATTEMPTS


def cool_off(request=None) -> timedelta:
    return timedelta(minutes=settings.KNEADWELL_LOCKOUT_MINUTES)


def locked_response(request, original_response, credentials=None):
    """The sign-in page itself, whose form already says the account is locked (LoginForm)."""
    return original_response


def is_locked(request, email: str) -> bool:
    """Whether sign-ins for `email` are locked now (for the owner's staff page)."""
    credentials = {settings.AXES_USERNAME_FORM_FIELD: email.lower()}
    return not AxesProxyHandler.is_allowed(request, credentials)


def unlock(email: str) -> None:
    """Forget the failed sign-ins for `email`, which lifts any lock at once."""
    reset(username=email.lower())
