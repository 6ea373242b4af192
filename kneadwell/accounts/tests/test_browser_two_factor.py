"""In real Chromium: an owner, prompted at first sign-in, sets up two-factor sign-in from the QR
page, then signs in again with the password and a code from the app."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django_otp.oath import hotp, totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from kneadwell.conftest import PASSWORD, make_member, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def app_code(device: TOTPDevice) -> str:
    """What the app shows now."""
    return f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"


def next_app_code(device: TOTPDevice) -> str:
    """The app's code for the 30 s after the last one used: a code is refused a second time, so
    signing in right after setting up uses the next one (django-otp accepts one step either
    side of its clock)."""
    return f"{hotp(device.bin_key, device.last_t + 1, device.digits):06d}"


def test_an_owner_sets_up_the_app_and_signs_in_with_a_code(page):
    from kneadwell.accounts.models import Clinic, Role

    make_member(Clinic.objects.create(name="Willow Clinic"), "owner@willow.test", Role.OWNER)
    sign_in(page, "owner@willow.test", PASSWORD)
    assert page.get_by_role("heading", name="Two-factor sign-in").is_visible()
    assert page.locator("figure.qr svg").is_visible()
    assert page.get_by_role("link", name="Skip for now").is_visible()
    assert [v["id"] for v in Axe().run(page).response["violations"]] == []
    device = TOTPDevice.objects.get(user__email="owner@willow.test", confirmed=False)
    page.get_by_label("The six-digit code your app shows").fill(app_code(device))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    assert page.locator("#recovery-codes li").count() == 10
    page.get_by_role("link", name="I have kept them; carry on").click()
    assert page.get_by_role("heading", name="Clients").is_visible()

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "owner@willow.test", PASSWORD)
    assert page.get_by_role("heading", name="Your sign-in code").is_visible()
    assert [v["id"] for v in Axe().run(page).response["violations"]] == []
    device.refresh_from_db()
    page.get_by_label("Code from your authenticator app").fill(next_app_code(device))
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("heading", name="Clients").is_visible()
