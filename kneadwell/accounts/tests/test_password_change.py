"""Changing the password ends the person's other sessions and offers to revoke API tokens."""

from django.test import Client as HttpClient
from django.urls import reverse

from kneadwell.accounts.models import ApiToken
from kneadwell.conftest import PASSWORD, logged_in

NEW = "another-fresh-passphrase-3"


def _change(browser, **extra):
    data = {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW, **extra}
    return browser.post(reverse("password_change"), data)


def test_it_ends_the_other_sessions_and_keeps_this_one(therapist):
    here, elsewhere = logged_in(therapist), logged_in(therapist)
    assert _change(here).status_code == 302
    assert here.get(reverse("clients:list")).status_code == 200
    assert elsewhere.get(reverse("clients:list")).status_code == 302


def test_it_asks_about_tokens_only_to_people_who_have_some(therapist):
    browser = logged_in(therapist)
    assert (
        "Also revoke all my API tokens"
        not in browser.get(reverse("password_change")).content.decode()
    )
    ApiToken.issue(therapist, "script")
    assert (
        "Also revoke all my API tokens" in browser.get(reverse("password_change")).content.decode()
    )


def test_ticking_the_box_revokes_the_tokens(therapist):
    _, token = ApiToken.issue(therapist, "script")
    browser = logged_in(therapist)
    _change(browser, revoke_tokens="on")
    response = HttpClient().get("/api/v1/clients", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 401
    assert "API tokens revoked: 1" in browser.get(reverse("clients:list")).content.decode()


def test_leaving_it_unticked_keeps_the_tokens(therapist):
    _, token = ApiToken.issue(therapist, "script")
    _change(logged_in(therapist))
    response = HttpClient().get("/api/v1/clients", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
