"""Idle logout and the current person's clinic membership on every request."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect


class IdleLogoutMiddleware:
    """Sign a person out after KNEADWELL_IDLE_MINUTES without a request (30 by default)."""

    SESSION_KEY = "kneadwell_last_seen"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            last_seen = request.session.get(self.SESSION_KEY, now)
            if now - last_seen > settings.KNEADWELL_IDLE_MINUTES * 60:
                logout(request)
                messages.info(request, "You were signed out after a period without activity.")
                return redirect(settings.LOGIN_URL)
            request.session[self.SESSION_KEY] = now
        return self.get_response(request)


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
