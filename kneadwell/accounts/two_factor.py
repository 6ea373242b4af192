"""Two-factor sign-in with django-otp: an authenticator app (TOTP) and recovery codes.

A person with an app confirmed signs in in two steps: the password holds the sign-in in the
session (not signed in yet), and a code from the app, or one recovery code, completes it. The
clinic's owner can require it for everyone; owners are asked to set it up at their first
sign-in. Passkeys are not offered: django-otp has no WebAuthn device.
"""

from __future__ import annotations

import re
import time
from base64 import b32encode

import segno
from django.conf import settings
from django.contrib.auth import login
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from kneadwell.accounts.models import Role, User

PENDING = "kneadwell_two_factor_pending"
NEXT = "kneadwell_two_factor_next"
# The second step must follow the first within this many seconds and these many tries.
PENDING_SECONDS = 300
PENDING_TRIES = 5
APP_NAME = "Authenticator app"


def has_app(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def app_confirmed_for(user_field: str) -> Exists:
    """An annotation: whether the person in `user_field` has a confirmed app (lists, no N+1)."""
    return Exists(TOTPDevice.objects.filter(user=OuterRef(user_field), confirmed=True))


def is_required(user: User) -> bool:
    membership = getattr(user, "membership", None)
    return membership is not None and membership.clinic.requires_two_factor


def should_prompt(user: User) -> bool:
    """An owner without two-factor sign-in is asked once, at their first sign-in after this."""
    membership = getattr(user, "membership", None)
    return (
        membership is not None
        and membership.role == Role.OWNER
        and user.two_factor_prompted_at is None
        and not has_app(user)
    )


def mark_prompted(user: User) -> None:
    user.two_factor_prompted_at = timezone.now()
    user.save(update_fields=["two_factor_prompted_at"])


# --- Enrolment ---------------------------------------------------------------------------------


def pending_app(user: User) -> TOTPDevice:
    """The app being set up: an unconfirmed device, kept across page loads until confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=APP_NAME, confirmed=False)


def secret_text(device: TOTPDevice) -> str:
    """The secret in groups of four, for typing into an app by hand."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice) -> SafeString:
    """The app's set-up link as a QR code, an SVG drawn here (the secret never leaves the page)."""
    svg = segno.make(device.config_url, error="m").svg_inline(
        scale=4,
        dark="#1f2933",
        light="#ffffff",
        title="QR code to scan with your authenticator app",
        svgclass="qr-code",
    )
    return mark_safe(svg)  # noqa: S308 — segno's own markup; nothing anyone typed is in it


@transaction.atomic
def confirm_app(device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the app with a code it shows; returns fresh recovery codes, or None if wrong."""
    if not device.verify_token(_clean(code)):
        return None
    TOTPDevice.objects.filter(user=device.user, confirmed=True).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return new_recovery_codes(device.user)


def new_recovery_codes(user: User) -> list[str]:
    """Replace the person's recovery codes; returns them to be shown once."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(settings.KNEADWELL_RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def turn_off(user: User) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


# --- Signing in --------------------------------------------------------------------------------


def hold(request, user: User, next_url: str) -> None:
    """After the password: remember who is signing in, without signing them in."""
    request.session[PENDING] = {
        "user": user.pk,
        "backend": user.backend,
        "at": time.time(),
        "tries": 0,
    }
    request.session[NEXT] = next_url


def held_user(request) -> User | None:
    """The person whose password was right, if that was recently and tries remain."""
    pending = request.session.get(PENDING)
    if not pending:
        return None
    fresh = time.time() - pending["at"] <= PENDING_SECONDS and pending["tries"] < PENDING_TRIES
    user = User.objects.filter(pk=pending["user"], is_active=True).first() if fresh else None
    if user is None:
        request.session.pop(PENDING, None)
    return user


def complete(request, code: str) -> bool:
    """Check the code for the held sign-in; sign the person in if it is right.

    Six digits are checked against the app, anything else against the recovery codes (each
    works once: django-otp deletes it when it matches)."""
    user = held_user(request)
    if user is None:
        return False
    device = verify_code(user, code)
    if device is None:
        pending = request.session[PENDING]
        pending["tries"] += 1
        request.session[PENDING] = pending
        return False
    backend = request.session.pop(PENDING)["backend"]
    login(request, user, backend=backend)
    otp_login(request, device)
    return True


@transaction.atomic
def verify_code(user: User, code: str):
    """The device that accepts `code`, or None. The devices are locked while checking, so one
    recovery code (or app code) cannot be used by two requests at once."""
    code = _clean(code)
    kind = TOTPDevice if re.fullmatch(r"\d{6}", code) else StaticDevice
    for device in kind.objects.select_for_update().filter(user=user, confirmed=True):
        if device.verify_token(code):
            return device
    return None


def next_url(request) -> str:
    return request.session.pop(NEXT, None) or ""


def _clean(code: str) -> str:
    return re.sub(r"[\s-]", "", code or "").lower()
