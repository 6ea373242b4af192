"""Signing in on a phone, keyboard only, with and without JavaScript; every page light
(≤ 50 KB on a first visit) and free of serious or critical axe-core violations."""

import re

import pytest
from django.urls import reverse

from kneadwell.portal.tests.browser import (
    BUDGET,
    NARROW,
    first_visit_bytes,
    fits,
    phone,
    serious_violations,
    sign_in_client,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_client_signs_in_on_a_narrow_phone_with_the_keyboard(
    browser, live_server, account, outbox, javascript
):
    page = phone(browser, live_server, width=NARROW, javascript=javascript)
    page.goto(reverse("portal:sign_in"))
    assert fits(page, 320)
    page.keyboard.press("Tab")  # the skip link comes first
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.get_by_label("Your email address").fill("ada@example.org")
    page.get_by_label("Your email address").press("Enter")
    page.get_by_role("heading", name="Check your email").wait_for()
    link = re.search(r"https?://[^/\s]+(/portal/sign-in/\S+/)", outbox[0].body).group(1)
    page.goto(link)
    page.get_by_label("Day").fill("10")
    page.get_by_label("Month").fill("12")
    page.get_by_label("Year").fill("1965")
    page.get_by_label("Year").press("Enter")
    page.get_by_role("heading", name="Hello, Ada").wait_for()
    assert fits(page, 320)


def test_a_mistake_is_summarised_and_linked_to_its_field(browser, live_server, account):
    page = phone(browser, live_server, javascript=False)
    page.goto(reverse("portal:sign_in"))
    page.get_by_label("Your email address").fill("not an address")
    page.get_by_role("button", name="Send me a sign-in link").click()
    summary = page.get_by_role("alert")
    assert "Enter an email address like name@example.org." in summary.inner_text()
    summary.get_by_role("link").click()
    assert page.evaluate("document.activeElement.id") == "id_email"
    described = page.get_by_label("Your email address").get_attribute("aria-describedby")
    assert "id_email_error" in described


def _pages(account, secret):
    return [
        reverse("portal:sign_in"),
        reverse("portal:code"),
        reverse("portal:link", args=[secret]),
        reverse("portal:home"),
    ]


def test_every_page_is_light_and_accessible(browser, live_server, account):
    from kneadwell.portal.models import SignInToken, TokenKind

    page = phone(browser, live_server)
    sign_in_client(page, account)
    cookies = page.context.cookies()
    _, secret = SignInToken.issue(account, TokenKind.LINK)
    for path in _pages(account, secret):
        total, sizes = first_visit_bytes(browser, live_server, path, cookies)
        print(f"{path}: {total} bytes on a first visit")
        assert total <= BUDGET, f"{path}: {total} bytes {sizes}"
        page.goto(path)
        assert serious_violations(page) == [], path
        assert fits(page, 390), path
