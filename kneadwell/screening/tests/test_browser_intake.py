"""A therapist completes an intake for a new client in real Chromium and sees the banner."""

import pytest

from kneadwell.conftest import sign_in
from kneadwell.demo.clinic import create_demo
from kneadwell.screening.models import Intake

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_therapist_completes_an_intake_and_sees_the_banner(page):
    create_demo()
    sign_in(page, "tess@demo.kneadwell.test")
    page.get_by_role("link", name="New client").click()
    page.locator("#id_given_names").fill("Wilhelmina")
    page.locator("#id_family_name").fill("Quill")
    page.get_by_label("Date of birth").fill("1958-04-02")
    page.get_by_role("button", name="Save").click()
    assert page.get_by_role("heading", name="No safety screening yet").is_visible()

    page.get_by_role("link", name="Start intake", exact=True).click()
    page.get_by_label("What brings the client in?").fill("Pain down the left leg")
    page.get_by_label("Sciatica (lumbar radicular pain)").check()
    page.locator('.bodychart [data-region="calf_left"]').click()
    assert page.get_by_role("checkbox", name="Left calf").is_checked()
    assert "Left calf" in page.locator(".bodychart-marked").inner_text()
    for radio in page.locator('.red-flags input[type="radio"][value="no"]').all():
        radio.check()
    page.locator('input[name="rf_suspected_dvt"][value="yes"]').check()
    page.get_by_label("The client agrees to this screening").check()
    page.get_by_role("button", name="Save intake").click()

    assert page.get_by_role("heading", name="Do not treat: safety findings").is_visible()
    assert page.get_by_text("Blocks treatment").first.is_visible()
    assert page.get_by_role("link", name="record the physician's clearance").is_visible()
    intake = Intake.objects.get(client__family_name="Quill")
    assert intake.answers["pain_areas"] == ["calf_left"]
    assert intake.answers["red_flags"]["suspected_dvt"] is True
