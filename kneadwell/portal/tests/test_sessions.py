"""Portal sessions: separate from staff sessions in both directions, 15 idle minutes, sign-out,
and access revoked by the clinic ending them at once."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from kneadwell.conftest import bearer, logged_in
from kneadwell.portal.tests.conftest import portal_browser

STAFF_PAGES = [
    lambda c: reverse("clients:list"),
    lambda c: reverse("clients:detail", args=[c.pk]),
    lambda c: reverse("clients:edit", args=[c.pk]),
    lambda c: reverse("measures:list", args=[c.pk]),
    lambda c: reverse("portal_staff:access", args=[c.pk]),
    lambda c: reverse("audit:log"),
    lambda c: reverse("knowledge:index"),
]


@pytest.mark.parametrize("url", STAFF_PAGES)
def test_a_client_session_never_reaches_a_staff_page(account, url):
    browser = portal_browser(account)
    response = browser.get(url(account.client))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    "url", ["/api/v1/clients", lambda c: f"/api/v1/clients/{c.pk}", "/api/v1/screening/evaluate"]
)
def test_a_client_session_never_reaches_the_staff_api(account, url):
    browser = portal_browser(account)
    path = url(account.client) if callable(url) else url
    assert browser.get(path).status_code in (401, 405)
    assert browser.post(path, {}, content_type="application/json").status_code in (401, 405)


def test_the_portal_cookie_is_scoped_to_the_portal(account):
    browser = portal_browser(account)
    cookie = browser.cookies["kneadwell_portal"]
    assert cookie["path"] == "/portal/"
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert "sessionid" not in browser.cookies


@pytest.mark.parametrize("role", ["therapist", "owner", "desk"])
def test_a_staff_session_never_reaches_a_portal_page(people, account, role):
    browser = logged_in(people[role])
    response = browser.get(reverse("portal:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:sign_in")


def test_a_staff_token_never_reaches_a_portal_page(therapist, account):
    response = HttpClient().get(reverse("portal:home"), **bearer(therapist))
    assert response.status_code == 302


def test_one_browser_keeps_both_sessions_apart(therapist, account):
    browser = portal_browser(account)
    browser.force_login(therapist)
    assert browser.get(reverse("clients:list")).status_code == 200
    assert "Hello, Ada" in browser.get(reverse("portal:home")).content.decode()
    browser.post(reverse("portal:sign_out"))
    assert browser.get(reverse("portal:home")).status_code == 302
    assert browser.get(reverse("clients:list")).status_code == 200


def test_fifteen_idle_minutes_sign_the_client_out(account):
    browser = portal_browser(account)
    with time_machine.travel(timezone.now() + timedelta(minutes=14)):
        assert browser.get(reverse("portal:home")).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(minutes=14 + 16)):
        response = browser.get(reverse("portal:home"))
        assert response.status_code == 302
        page = browser.get(reverse("portal:sign_in")).content.decode()
        assert "signed out after 15 minutes without activity" in page
        assert browser.get(reverse("portal:home")).status_code == 302


def test_a_session_ends_after_the_longest_day(account, settings):
    settings.KNEADWELL_PORTAL_SESSION_HOURS = 1
    browser = portal_browser(account)
    for minutes in (10, 20, 30, 40, 50):
        with time_machine.travel(timezone.now() + timedelta(minutes=minutes)):
            assert browser.get(reverse("portal:home")).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(minutes=61)):
        assert browser.get(reverse("portal:home")).status_code == 302


def test_signing_out_ends_the_session(account):
    browser = portal_browser(account)
    response = browser.post(reverse("portal:sign_out"))
    assert response.status_code == 302
    assert browser.get(reverse("portal:home")).status_code == 302
    assert "You have signed out" in browser.get(reverse("portal:sign_in")).content.decode()


def test_signing_out_needs_a_post(account):
    browser = portal_browser(account)
    assert browser.get(reverse("portal:sign_out")).status_code == 405
    assert browser.get(reverse("portal:home")).status_code == 200


def test_ending_access_ends_the_clients_session_at_once(therapist, account):
    browser = portal_browser(account)
    logged_in(therapist).post(reverse("portal_staff:revoke", args=[account.client_id]))
    assert browser.get(reverse("portal:home")).status_code == 302


def test_archiving_the_record_ends_the_session(account):
    browser = portal_browser(account)
    account.client.archive()
    assert browser.get(reverse("portal:home")).status_code == 302


def test_portal_pages_are_never_cached(account):
    browser = portal_browser(account)
    response = browser.get(reverse("portal:home"))
    assert response["Cache-Control"] == "no-store"
    # Same-origin referrers only (settings): a sign-in link's path never leaves the site.
    assert response["Referrer-Policy"] == "same-origin"
    assert HttpClient().get(reverse("portal:sign_in"))["Cache-Control"] == "no-store"


def test_after_signing_in_the_client_lands_where_they_were_going(account):
    from kneadwell.portal.models import SignInToken, TokenKind
    from kneadwell.portal.tests.conftest import born

    browser = HttpClient()
    assert browser.get(reverse("portal:home") + "?from=reminder").status_code == 302
    _, secret = SignInToken.issue(account, TokenKind.LINK)
    response = browser.post(reverse("portal:link", args=[secret]), born(account.client))
    assert response["Location"] == reverse("portal:home") + "?from=reminder"
