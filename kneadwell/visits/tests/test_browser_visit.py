"""Browser journeys for plans and visit notes, and the action count of a follow-up note."""

from datetime import date

import pytest
from playwright.sync_api import expect

from kneadwell.conftest import sign_in
from kneadwell.visits.models import Visit
from kneadwell.visits.tests.conftest import open_new_note

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class Actions:
    """Counts what a therapist does beyond typing free text: each click and each key press."""

    def __init__(self):
        self.count = 0

    def click(self, locator):
        self.count += 1
        locator.click()

    def type_free_text(self, locator, text):
        # Focusing the box is a click; the words themselves are free text and not counted.
        self.click(locator)
        locator.press_sequentially(text)


def test_a_follow_up_note_takes_at_most_10_actions(page, demo_client):
    tess, client = demo_client
    last = Visit.objects.create(
        clinic_id=client.clinic_id,
        client=client,
        therapist=tess,
        visit_date=date(2026, 11, 10),
        duration_minutes=45,
        treated_regions=["low_back"],
        home_advice="Walk 20 minutes daily",
        treatment=[{"technique": "swedish", "region": "low_back", "pressure": 3, "minutes": 40}],
    )
    last.sign(tess)
    sign_in(page, tess.email)
    page.goto(client.get_absolute_url())  # the client is open: counting starts here

    actions = Actions()
    actions.click(page.get_by_role("button", name="Follow-up from last visit"))
    actions.click(page.locator("label[for=id_nprs_3]"))
    actions.type_free_text(
        page.get_by_label("What the client reports"), "Less stiff in the mornings"
    )
    actions.click(page.get_by_role("button", name="Sign note"))

    assert page.get_by_text("Note signed.").is_visible()
    assert actions.count <= 10
    note = Visit.objects.filter(client=client).latest("id")
    assert note.pk != last.pk
    assert note.is_signed and note.nprs == 3
    assert note.treatment == last.treatment
    assert note.home_advice == "Walk 20 minutes daily"


def test_a_therapist_plans_a_course_in_the_browser(page, demo_client):
    tess, client = demo_client
    sign_in(page, tess.email)
    page.goto(client.get_absolute_url())
    page.get_by_role("link", name="New plan").click()
    page.get_by_label("Which condition is this plan for?").select_option("chronic_lbp")
    page.get_by_role("button", name="Start from the template").click()
    assert page.get_by_text("proposed convention").is_visible()
    page.get_by_label("Goals", exact=True).fill("Lift the grandchildren without pain")
    page.get_by_role("button", name="Save plan").click()
    assert page.get_by_text("Lift the grandchildren without pain").is_visible()


def test_a_draft_survives_a_closed_tab(page, demo_client, live_server):
    tess, client = demo_client
    sign_in(page, tess.email)
    page.goto(client.get_absolute_url())
    open_new_note(page)
    page.get_by_label("What the client reports").fill("Typed before the tab closed")
    expect(page.locator("#autosave-status")).to_contain_text("Draft saved")
    url, context = page.url, page.context
    page.close()
    reopened = context.new_page()
    reopened.goto(url)
    assert (
        reopened.get_by_label("What the client reports").input_value()
        == "Typed before the tab closed"
    )


def test_a_draft_survives_a_lost_connection(page, demo_client):
    tess, client = demo_client
    sign_in(page, tess.email)
    page.goto(client.get_absolute_url())
    open_new_note(page)
    url = page.url
    page.context.set_offline(True)
    page.get_by_label("What the client reports").fill("Typed while offline")
    expect(page.locator("#autosave-status")).to_contain_text("Offline")
    page.context.set_offline(False)
    page.goto(url)
    assert page.get_by_label("What the client reports").input_value() == "Typed while offline"
