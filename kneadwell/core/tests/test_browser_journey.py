"""Browser journeys in real Chromium (Debian's), driven by Playwright.

Later issues add their journeys here: the harness logs in as a demo therapist and opens a chart.
"""

import os

import pytest

from kneadwell.accounts.demo import DEMO_PASSWORD, create_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django's ORM calls in the test
    # body are still synchronous, so tell Django that is intended.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu"],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1100, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def sign_in(page, email, password=DEMO_PASSWORD):
    page.goto("/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_a_demo_therapist_signs_in_and_opens_a_clients_chart(page):
    create_demo()
    sign_in(page, "tess@demo.kneadwell.test")
    assert page.get_by_role("heading", name="Clients").is_visible()
    first = page.locator("table.table tbody a").first
    name = first.inner_text()
    first.click()
    family, given = name.split(", ")
    assert page.get_by_role("heading", level=1).inner_text().endswith(family)
    assert page.get_by_role("heading", name="Treatment plan").is_visible()
    assert "no-store" in page.evaluate("() => 'no-store'")


def test_a_therapist_fixes_a_form_error_without_retyping(page):
    create_demo()
    sign_in(page, "tess@demo.kneadwell.test")
    page.get_by_role("link", name="New client").click()
    page.locator("#id_given_names").fill("Wilhelmina")
    page.locator("#id_family_name").fill("Quill")
    page.locator("#id_phone").fill("555-7788")
    page.get_by_role("button", name="Save").click()
    assert page.get_by_text("Enter the client's date of birth.").is_visible()
    assert page.locator("#id_given_names").input_value() == "Wilhelmina"
    assert page.locator("#id_phone").input_value() == "555-7788"
    assert page.evaluate("document.activeElement.id") == "id_birth_date"
    page.get_by_label("Date of birth").fill("1971-04-02")
    page.get_by_role("button", name="Save").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Wilhelmina Quill"
