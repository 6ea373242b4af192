"""Signing in to the portal (a link by email, or a desk code, with the date of birth) and out."""

import time

from django.conf import settings
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from kneadwell.portal import sessions, signin
from kneadwell.portal.forms import BirthDateForm, CodeForm, EmailForm
from kneadwell.portal.models import SignInToken, TokenKind


def _minutes() -> int:
    return settings.KNEADWELL_PORTAL_LINK_MINUTES


def _going(request, path: str | None) -> str:
    safe = path and path.startswith(sessions.PREFIX)
    safe = safe and url_has_allowed_host_and_scheme(path, allowed_hosts={request.get_host()})
    return path if safe else reverse("portal:home")


@require_http_methods(["GET", "POST"])
def sign_in(request):
    started = time.monotonic()
    if request.portal is not None:
        return redirect("portal:home")
    form = EmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        limited = signin.link_request_is_limited(request, email)
        if not limited:
            signin.send_links(request, email)
        signin.answer_no_sooner(started)
        if limited:
            context = {"form": form, "limited": True, "minutes": _minutes()}
            return render(request, "portal/sign_in.html", context, status=429)
        return render(request, "portal/sign_in_sent.html", {"email": email})
    context = {"form": form, "notice": sessions.pop_notice(request), "minutes": _minutes()}
    return render(request, "portal/sign_in.html", context, status=422 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def link(request, secret):
    token = SignInToken.find(secret, signin.LINK_KINDS)
    if token is None and request.method == "GET":
        return render(request, "portal/link_gone.html", {"message": signin.link_gone()}, status=410)
    form = BirthDateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome = signin.redeem(request, token, form.cleaned_data["birth_date"])
        if outcome.account is not None:
            return redirect(_going(request, sessions.sign_in(request, outcome.account)))
        form.add_error(None, outcome.message)
    clinic = token.account.client.clinic if token else None
    context = {
        "form": form,
        "clinic": clinic,
        "usable": SignInToken.find(secret, signin.LINK_KINDS),
    }
    return render(request, "portal/link.html", context, status=422 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def code(request):
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = SignInToken.find(form.cleaned_data["code"], [TokenKind.DESK_CODE])
        outcome = signin.redeem(request, token, form.cleaned_data["birth_date"], code=True)
        if outcome.account is not None:
            return redirect(_going(request, sessions.sign_in(request, outcome.account)))
        form.add_error(None, outcome.message)
    return render(request, "portal/code.html", {"form": form}, status=422 if form.errors else 200)


@require_POST
def sign_out(request):
    sessions.sign_out(request)
    request.session[sessions.NOTICE] = "You have signed out. Thank you."
    return redirect("portal:sign_in")
