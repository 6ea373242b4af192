"""The owner sees that a member is locked out after wrong passwords, and unlocks them."""

from django.test import Client as HttpClient
from django.urls import reverse

from kneadwell.conftest import PASSWORD, logged_in


def _fail(email, times):
    for _ in range(times):
        HttpClient().post(reverse("login"), {"username": email, "password": "wrong"})


def test_the_owner_unlocks_a_locked_out_member(owner, therapist, settings):
    settings.KNEADWELL_LOCKOUT_ATTEMPTS = 3
    _fail("tara@willow.test", 3)
    browser = logged_in(owner)
    page = browser.get(reverse("staff_edit", args=[therapist.membership.pk])).content.decode()
    assert "Sign-in is locked" in page
    response = browser.post(reverse("staff_unlock", args=[therapist.membership.pk]))
    assert response.status_code == 302
    page = browser.get(reverse("staff_edit", args=[therapist.membership.pk])).content.decode()
    assert "Sign-in is not locked" in page
    signed_in = HttpClient().post(
        reverse("login"), {"username": "tara@willow.test", "password": PASSWORD}
    )
    assert signed_in.status_code == 302


def test_nobody_else_unlocks(therapist, colleague, outsider, settings):
    settings.KNEADWELL_LOCKOUT_ATTEMPTS = 2
    _fail("tara@willow.test", 2)
    url = reverse("staff_unlock", args=[therapist.membership.pk])
    assert logged_in(colleague).post(url).status_code == 403
    assert logged_in(outsider).post(url).status_code == 404
    locked = HttpClient().post(
        reverse("login"), {"username": "tara@willow.test", "password": PASSWORD}
    )
    assert "Too many failed sign-ins" in locked.content.decode()
