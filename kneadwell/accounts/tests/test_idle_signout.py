"""The idle sign-out leads back to where the person was, and tells a script it was signed out."""

import time_machine
from django.test import Client as HttpClient
from django.urls import reverse

from kneadwell.conftest import PASSWORD


def _signed_in_then_idle(therapist):
    browser = HttpClient()
    with time_machine.travel("2026-11-23 10:00", tick=False):
        browser.post(reverse("login"), {"username": therapist.email, "password": PASSWORD})
        assert browser.get(reverse("clients:list")).status_code == 200
    return browser


def test_a_page_asked_for_after_the_idle_limit_comes_back_after_signing_in(therapist):
    browser = _signed_in_then_idle(therapist)
    page = reverse("clients:detail", args=[7])
    with time_machine.travel("2026-11-23 10:31", tick=False):
        response = browser.get(page)
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('login')}?next={page}"
        login = browser.get(response["Location"]).content.decode()
    assert "signed out after a period without activity" in login
    assert f'name="next" value="{page}"' in login


def test_a_form_sent_after_the_idle_limit_returns_to_the_page_it_was_sent_from(therapist):
    browser = _signed_in_then_idle(therapist)
    chart = reverse("clients:detail", args=[7])
    with time_machine.travel("2026-11-23 10:31", tick=False):
        response = browser.post(
            reverse("visits:start", args=[7]), HTTP_REFERER=f"http://testserver{chart}"
        )
    assert response["Location"] == f"{reverse('login')}?next={chart}"


def test_a_form_from_elsewhere_returns_to_the_start_page(therapist):
    browser = _signed_in_then_idle(therapist)
    with time_machine.travel("2026-11-23 10:31", tick=False):
        response = browser.post(
            reverse("visits:start", args=[7]), HTTP_REFERER="https://evil.example/clients/7/"
        )
    assert response["Location"] == reverse("login")


def test_the_notes_autosave_hears_401_not_a_sign_in_page(therapist):
    browser = _signed_in_then_idle(therapist)
    with time_machine.travel("2026-11-23 10:31", tick=False):
        response = browser.post(
            reverse("visits:autosave", args=[7, 9]), HTTP_ACCEPT="application/json"
        )
    assert response.status_code == 401
    assert "signed out" in response.json()["detail"]
    assert browser.get(reverse("clients:list")).status_code == 302  # really signed out
