"""The idle sign-out leads back to where the person was, and tells a script it was signed out."""

import time

import time_machine
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kneadwell.accounts.middleware import IdleLogoutMiddleware
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


def _stamp(browser) -> float:
    return browser.session[IdleLogoutMiddleware.SESSION_KEY]


def _session_writes(browser, url) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert browser.get(url).status_code == 200
    return [q["sql"] for q in queries if "django_session" in q["sql"] and "SELECT" not in q["sql"]]


def test_the_idle_stamp_is_written_at_most_once_a_minute(therapist):
    browser = _signed_in_then_idle(therapist)
    page = reverse("clients:list")
    with time_machine.travel("2026-11-23 10:00:50", tick=False):
        first = _stamp(browser)
        assert _session_writes(browser, page) == []
        assert _stamp(browser) == first
    with time_machine.travel("2026-11-23 10:01:10", tick=False):
        assert len(_session_writes(browser, page)) == 1
        assert _stamp(browser) == first + 70


def test_the_idle_limit_still_holds_to_the_minute_with_the_sparser_stamp(therapist):
    browser = _signed_in_then_idle(therapist)
    page = reverse("clients:list")
    with time_machine.travel("2026-11-23 10:00:50", tick=False):
        assert browser.get(page).status_code == 200  # within the minute: not stamped
    with time_machine.travel("2026-11-23 10:29:59", tick=False):
        assert browser.get(page).status_code == 200  # 29 min 9 s idle: stamped anew
    with time_machine.travel("2026-11-23 10:59:58", tick=False):
        assert browser.get(page).status_code == 200  # 29 min 59 s idle
    with time_machine.travel("2026-11-23 11:30:59", tick=False):
        response = browser.get(page)  # 31 min 1 s idle
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_signing_in_starts_the_idle_clock_so_the_first_page_writes_nothing(therapist):
    browser = HttpClient()
    with time_machine.travel("2026-11-23 10:00", tick=False):
        browser.post(reverse("login"), {"username": therapist.email, "password": PASSWORD})
        assert _stamp(browser) == time.time()
        assert _session_writes(browser, reverse("clients:list")) == []
