"""Client sessions, kept apart from staff sessions.

Under ``/portal/`` the session lives in a cookie of its own, scoped to that path, so a client's
session is never sent to a staff page or the API, and a staff session is never read by the
portal (``request.user`` is anonymous there). The portal session holds the signed-in account,
its generation (revoking access ends every session) and when it was last used (15 idle minutes
sign the client out).
"""

from __future__ import annotations

import time
from functools import wraps

from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.shortcuts import redirect
from django.utils.cache import patch_vary_headers

from kneadwell.portal.models import PortalAccount

PREFIX = "/portal/"
ACCOUNT, GENERATION, SEEN, STARTED = "portal_account", "portal_generation", "portal_seen", "since"
NEXT, NOTICE = "portal_next", "portal_notice"
IDLE_NOTICE = "You were signed out after 15 minutes without activity. Sign in again to go on."


def is_portal(path: str) -> bool:
    return path.startswith(PREFIX)


class SessionMiddleware(DjangoSessionMiddleware):
    """Django's session middleware, with the portal's own cookie under /portal/."""

    def process_request(self, request):
        request.portal_cookie = is_portal(request.path)
        name = settings.KNEADWELL_PORTAL_COOKIE if request.portal_cookie else None
        request.session = self.SessionStore(
            request.COOKIES.get(name or settings.SESSION_COOKIE_NAME)
        )

    def process_response(self, request, response):
        if not getattr(request, "portal_cookie", False):
            return super().process_response(request, response)
        # As Django's, with the portal cookie's name and path (and always ending at browser close).
        name = settings.KNEADWELL_PORTAL_COOKIE
        try:
            accessed, modified = request.session.accessed, request.session.modified
            empty = request.session.is_empty()
        except AttributeError:
            return response
        if name in request.COOKIES and empty:
            response.delete_cookie(name, path=PREFIX, samesite="Lax")
            patch_vary_headers(response, ("Cookie",))
            return response
        if accessed:
            patch_vary_headers(response, ("Cookie",))
        if modified and not empty and response.status_code < 500:
            request.session.save()
            response.set_cookie(
                name,
                request.session.session_key,
                path=PREFIX,
                secure=settings.SESSION_COOKIE_SECURE or None,
                httponly=True,
                samesite="Lax",
            )
            patch_vary_headers(response, ("Cookie",))
        return response


class PortalMiddleware:
    """Attach ``request.portal`` (the signed-in client's PortalAccount, or None) under /portal/;
    sign out after KNEADWELL_PORTAL_IDLE_MINUTES without a request; never cache a portal page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.portal = None
        if not is_portal(request.path):
            return self.get_response(request)
        request.portal = current_account(request)
        response = self.get_response(request)
        response["Cache-Control"] = "no-store"
        response["Pragma"] = "no-cache"
        return response


def current_account(request) -> PortalAccount | None:
    session = request.session
    pk = session.get(ACCOUNT)
    if pk is None:
        return None
    now = time.time()
    idle = now - session.get(SEEN, now) > settings.KNEADWELL_PORTAL_IDLE_MINUTES * 60
    too_long = now - session.get(STARTED, now) > settings.KNEADWELL_PORTAL_SESSION_HOURS * 3600
    account = None
    if not idle and not too_long:
        account = (
            PortalAccount.objects.select_related("client__clinic")
            .filter(
                pk=pk,
                revoked_at__isnull=True,
                generation=session.get(GENERATION),
                client__archived_at__isnull=True,
            )
            .first()
        )
    if account is None:
        session.flush()
        if idle or too_long:
            session[NOTICE] = IDLE_NOTICE
        return None
    session[SEEN] = now
    return account


def sign_in(request, account) -> str | None:
    """Start a fresh portal session for `account`; returns where the client was going."""
    going = request.session.get(NEXT)
    request.session.flush()
    now = time.time()
    request.session.update(
        {ACCOUNT: account.pk, GENERATION: account.generation, SEEN: now, STARTED: now}
    )
    request.portal = account
    return going


def sign_out(request) -> None:
    request.session.flush()
    request.portal = None


def pop_notice(request) -> str | None:
    return request.session.pop(NOTICE, None)


def client_required(view):
    """Portal pages: a signed-in client, or the sign-in page (coming back here afterwards)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.portal is None:
            if request.method == "GET":
                request.session[NEXT] = request.get_full_path()
            return redirect("portal:sign_in")
        return view(request, *args, **kwargs)

    return wrapped
