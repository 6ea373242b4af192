"""The outcomes page as an owner uses it on a phone, in real Chromium: pictures with their
tables, nothing wider than the screen, no accessibility violations, a tired person's dates."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from kneadwell.conftest import sign_in
from kneadwell.demo.clinic import create_demo
from kneadwell.plans.models import Plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(page):
    page.set_viewport_size({"width": 390, "height": 844})
    return page


def test_an_owner_reads_the_outcomes_on_a_phone(phone):
    create_demo()
    sign_in(phone, "owner@demo.kneadwell.test")
    phone.get_by_role("link", name="Outcomes").click()
    assert phone.get_by_role("heading", name="Outcomes", level=1).is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    curve = phone.locator("#figure-sessions svg.step-chart")
    assert curve.is_visible() and curve.bounding_box()["width"] <= 360
    assert phone.locator("#table-sessions_to_improvement tbody tr").count() > 3
    assert (
        "half had a meaningful improvement by session"
        in phone.locator(".outcome-headline").inner_text()
    )
    violations = Axe().run(phone).response["violations"]
    assert [v["id"] for v in violations] == []


def test_dates_the_wrong_way_round_are_explained_and_kept(phone):
    create_demo()
    sign_in(phone, "owner@demo.kneadwell.test")
    phone.get_by_role("link", name="Outcomes").click()
    phone.get_by_label("Courses started from").fill("2026-06-01")
    phone.get_by_label("Courses started until").fill("2025-01-01")
    phone.get_by_label("Condition").select_option(label="Chronic low back pain")
    phone.get_by_role("button", name="Show").click()
    assert phone.get_by_text("The end date is before the start date; swap them.").is_visible()
    assert phone.get_by_label("Courses started from").input_value() == "2026-06-01"
    assert phone.get_by_label("Condition").input_value() == "chronic_lbp"
    assert phone.get_by_text("Fix the filters above to see the figures.").is_visible()


def test_a_therapist_sees_the_clinics_answer_on_a_plan(phone):
    create_demo()
    plan = Plan.objects.filter(
        client__archived_at__isnull=True,
        client__therapists__email="tess@demo.kneadwell.test",
        condition="chronic_lbp",
    ).first()
    sign_in(phone, "tess@demo.kneadwell.test")
    phone.get_by_role("link", name="Outcomes").click()
    assert phone.get_by_text("your own clients' courses").is_visible()
    phone.goto(plan.get_absolute_url())
    outlook = phone.locator("section.outlook")
    assert outlook.get_by_role("heading", name="How many sessions?").is_visible()
    assert "At this clinic, of" in outlook.inner_text()
    assert "not a promise" in outlook.inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
