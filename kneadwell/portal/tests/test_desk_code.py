"""The desk code: printed or read out by the clinic, used once with the date of birth."""

from datetime import timedelta

import time_machine
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from kneadwell.conftest import logged_in
from kneadwell.portal.models import PortalAccount
from kneadwell.portal.tests.conftest import born


def _code(desk, client) -> str:
    page = logged_in(desk).post(reverse("portal_staff:desk_code", args=[client.pk]))
    assert page.status_code == 200
    return page.context["code"]


def test_the_desk_prints_a_code_that_signs_the_client_in_once(desk, client_record):
    code = _code(desk, client_record)
    assert PortalAccount.objects.filter(client=client_record).exists()
    browser = HttpClient()
    typed = {"code": code.lower().replace("-", " "), **born(client_record)}
    response = browser.post(reverse("portal:code"), typed)
    assert response.status_code == 302
    assert "Hello, Ada" in browser.get(reverse("portal:home")).content.decode()
    again = HttpClient().post(reverse("portal:code"), typed)
    assert again.status_code == 422
    assert "do not match an invitation" in again.content.decode()


def test_a_wrong_birth_date_with_a_code_says_only_that_they_do_not_match(desk, client_record):
    code = _code(desk, client_record)
    wrong = {"code": code, "day": "1", "month": "1", "year": "1990"}
    page = HttpClient().post(reverse("portal:code"), wrong).content.decode()
    assert "That code and date of birth do not match an invitation" in page
    assert "tries left" not in page


def test_a_new_code_replaces_the_last(desk, client_record):
    first = _code(desk, client_record)
    second = _code(desk, client_record)
    assert (
        HttpClient()
        .post(reverse("portal:code"), {"code": first, **born(client_record)})
        .status_code
        == 422
    )
    assert (
        HttpClient()
        .post(reverse("portal:code"), {"code": second, **born(client_record)})
        .status_code
        == 302
    )


def test_a_code_expires_after_the_invitation_days(desk, client_record, settings):
    code = _code(desk, client_record)
    later = timezone.now() + timedelta(days=settings.KNEADWELL_PORTAL_INVITATION_DAYS, minutes=1)
    with time_machine.travel(later):
        response = HttpClient().post(reverse("portal:code"), {"code": code, **born(client_record)})
        assert response.status_code == 422


def test_a_short_code_is_explained(client_record):
    page = HttpClient().post(reverse("portal:code"), {"code": "ABC", **born(client_record)})
    assert "twelve letters and numbers" in page.content.decode()


def test_too_many_wrong_codes_from_one_address_are_refused(client_record, desk, settings):
    settings.KNEADWELL_PORTAL_TRIES_PER_ADDRESS = 3
    code = _code(desk, client_record)
    browser = HttpClient()
    for n in range(3):
        browser.post(
            reverse("portal:code"), {"code": f"AAAA-BBBB-CCC{n + 2}", **born(client_record)}
        )
    response = browser.post(reverse("portal:code"), {"code": code, **born(client_record)})
    assert "too many tries" in response.content.decode().lower()
