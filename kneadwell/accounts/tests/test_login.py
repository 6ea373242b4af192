"""Signing in: lockout after repeated failures, idle logout, deactivated people."""

import time_machine
from axes.models import AccessAttempt
from django.test import Client as HttpClient
from django.urls import reverse

from kneadwell.conftest import PASSWORD, logged_in


def _login(browser, email, password):
    return browser.post(reverse("login"), {"username": email, "password": password})


def test_it_signs_in_with_email_and_password(therapist):
    response = _login(HttpClient(), "TARA@willow.test", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("clients:list")


def test_a_wrong_password_keeps_the_email_and_says_what_to_do(therapist):
    response = _login(HttpClient(), "tara@willow.test", "wrong")
    page = response.content.decode()
    assert response.status_code == 200
    assert "do not match an active account" in page
    assert 'value="tara@willow.test"' in page


def test_it_locks_the_account_after_repeated_failures(therapist, settings):
    settings.KNEADWELL_LOCKOUT_ATTEMPTS = 3
    browser = HttpClient()
    for _ in range(3):
        _login(browser, "tara@willow.test", "wrong")
    response = _login(browser, "tara@willow.test", PASSWORD)
    assert response.status_code == 200
    assert "Too many failed sign-ins" in response.content.decode()


def test_the_lock_lifts_after_the_lockout_period(therapist, settings):
    settings.KNEADWELL_LOCKOUT_ATTEMPTS = 2
    with time_machine.travel("2026-11-23 10:00", tick=False):
        for _ in range(2):
            _login(HttpClient(), "tara@willow.test", "wrong")
    with time_machine.travel("2026-11-23 10:16", tick=False):
        assert _login(HttpClient(), "tara@willow.test", PASSWORD).status_code == 302


def test_the_lock_lasts_its_full_time_from_the_last_failed_attempt(therapist, settings):
    settings.KNEADWELL_LOCKOUT_ATTEMPTS = 3
    for minute in ("10:00", "10:10", "10:14"):
        with time_machine.travel(f"2026-11-23 {minute}", tick=False):
            _login(HttpClient(), "tara@willow.test", "wrong")
    with time_machine.travel("2026-11-23 10:28", tick=False):  # 28 min after the first
        response = _login(HttpClient(), "tara@willow.test", PASSWORD)
        assert "Too many failed sign-ins" in response.content.decode()
    with time_machine.travel("2026-11-23 10:29:30", tick=False):  # 15 min after the last
        assert _login(HttpClient(), "tara@willow.test", PASSWORD).status_code == 302


def test_tries_during_the_lock_do_not_lengthen_it(therapist, settings):
    settings.KNEADWELL_LOCKOUT_ATTEMPTS = 2
    with time_machine.travel("2026-11-23 10:00", tick=False):
        for _ in range(2):
            _login(HttpClient(), "tara@willow.test", "wrong")
    with time_machine.travel("2026-11-23 10:10", tick=False):
        assert _login(HttpClient(), "tara@willow.test", PASSWORD).status_code == 200
    with time_machine.travel("2026-11-23 10:15:30", tick=False):
        assert _login(HttpClient(), "tara@willow.test", PASSWORD).status_code == 302


def test_failures_far_apart_do_not_add_up(therapist, settings):
    settings.KNEADWELL_LOCKOUT_ATTEMPTS = 2
    with time_machine.travel("2026-11-23 10:00", tick=False):
        _login(HttpClient(), "tara@willow.test", "wrong")
    with time_machine.travel("2026-11-23 10:16", tick=False):
        _login(HttpClient(), "tara@willow.test", "wrong")
        assert _login(HttpClient(), "tara@willow.test", PASSWORD).status_code == 302


def test_a_successful_sign_in_clears_earlier_failures(therapist):
    _login(HttpClient(), "tara@willow.test", "wrong")
    assert AccessAttempt.objects.get(username="tara@willow.test").failures_since_start == 1
    _login(HttpClient(), "tara@willow.test", PASSWORD)
    assert not AccessAttempt.objects.filter(username="tara@willow.test").exists()


def test_the_lock_page_keeps_the_email_typed(therapist, settings):
    settings.KNEADWELL_LOCKOUT_ATTEMPTS = 1
    response = _login(HttpClient(), "Tara@Willow.test", "wrong")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Too many failed sign-ins. Wait 15 minutes" in page
    assert 'value="Tara@Willow.test"' in page or 'value="tara@willow.test"' in page


def test_it_signs_out_after_30_idle_minutes(therapist):
    browser = HttpClient()
    with time_machine.travel("2026-11-23 10:00", tick=False):
        _login(browser, "tara@willow.test", PASSWORD)
        assert browser.get(reverse("clients:list")).status_code == 200
    with time_machine.travel("2026-11-23 10:29", tick=False):
        assert browser.get(reverse("clients:list")).status_code == 200
    with time_machine.travel("2026-11-23 11:00", tick=False):
        response = browser.get(reverse("clients:list"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
        assert browser.get(reverse("clients:list")).status_code == 302


def test_a_deactivated_person_cannot_sign_in(therapist):
    therapist.is_active = False
    therapist.save()
    response = _login(HttpClient(), "tara@willow.test", PASSWORD)
    assert response.status_code == 200
    assert "do not match an active account" in response.content.decode()


def test_signing_out_needs_a_post(therapist):
    browser = logged_in(therapist)
    assert browser.get(reverse("logout")).status_code == 405
    assert browser.post(reverse("logout")).status_code == 302
    assert browser.get(reverse("clients:list")).status_code == 302


def test_production_hashing_is_argon2():
    from kneadwell import settings as production

    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
