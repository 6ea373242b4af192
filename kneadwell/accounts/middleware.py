"""Idle logout and the current person's clinic membership on every request."""

import time
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.shortcuts import redirect
from django_otp.plugins.otp_totp.models import TOTPDevice

JSON = "application/json"


class IdleLogoutMiddleware:
    """Sign a person out after KNEADWELL_IDLE_MINUTES without a request (30 by default).

    Signing in again returns to the page they were on (for a form that was being sent, the
    page itself; the visit note restores its copy kept in the browser). A script asking for
    JSON (the note's autosave) gets a 401 it can tell apart from a lost connection.
    """

    SESSION_KEY = "kneadwell_last_seen"
    # The stamp is written at most this often, so most requests do not rewrite the session row.
    # A person may then be signed out up to this much before the full idle time, never after it.
    STAMP_EVERY_SECONDS = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            last_seen = request.session.get(self.SESSION_KEY, now)
            if now - last_seen > settings.KNEADWELL_IDLE_MINUTES * 60:
                logout(request)
                text = "You were signed out after a period without activity."
                if request.get_preferred_type(["text/html", "application/json"]) == JSON:
                    return JsonResponse({"detail": text}, status=401)
                messages.info(request, f"{text} Sign in again to carry on where you were.")
                back = _back(request)
                return redirect_to_login(back) if back else redirect(settings.LOGIN_URL)
            if self.SESSION_KEY not in request.session or (
                now - last_seen >= self.STAMP_EVERY_SECONDS
            ):
                request.session[self.SESSION_KEY] = now
        return self.get_response(request)


def stamp_at_sign_in(sender, request, user, **kwargs) -> None:
    """Start the idle clock as the person signs in, so their first page does not write the
    session again (connected to Django's user_logged_in in AccountsConfig.ready)."""
    if request is not None and hasattr(request, "session"):
        request.session[IdleLogoutMiddleware.SESSION_KEY] = time.time()


def _back(request) -> str:
    """Where signing in again leads: this page, or for a form post the page it was sent from."""
    if request.method == "GET":
        return request.get_full_path()
    referer = urlsplit(request.headers.get("Referer", ""))
    return referer.path if referer.netloc == request.get_host() else ""


class MembershipMiddleware:
    """Attach request.membership; people without an active membership are signed out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.membership = None
        if request.user.is_authenticated:
            membership = getattr(request.user, "membership", None)
            if membership is None or not membership.is_active or not request.user.is_active:
                logout(request)
                messages.error(request, "Your account is not active. Ask the clinic owner.")
                return redirect(settings.LOGIN_URL)
            request.membership = membership
        return self.get_response(request)


class TwoFactorMiddleware:
    """When the clinic requires two-factor sign-in, a member who has not completed it (no app
    yet, so not verified) reaches only the set-up page and signing out until they have."""

    OPEN = {"two_factor", "logout"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        membership = getattr(request, "membership", None)
        if membership is None or not membership.clinic.requires_two_factor:
            return None
        if request.user.is_verified() or request.resolver_match.url_name in self.OPEN:
            return None
        if TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
            # A session from before the person set up their app (on another computer, say).
            logout(request)
            messages.info(request, "Sign in again, with a code from your authenticator app.")
            return redirect(settings.LOGIN_URL)
        text = "Your clinic asks everyone to set up two-factor sign-in first."
        if request.get_preferred_type(["text/html", "application/json"]) == JSON:
            return JsonResponse({"detail": text}, status=403)
        messages.info(request, f"{text} It takes a minute with an authenticator app.")
        return redirect("two_factor")
