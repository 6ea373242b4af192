"""Browser journeys in real Chromium (Debian's), driven by Playwright.

Later issues add their journeys here: the harness logs in as a demo therapist and opens a chart.
"""

import pytest

from kneadwell.conftest import sign_in
from kneadwell.demo.clinic import create_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


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
