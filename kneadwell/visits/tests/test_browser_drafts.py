"""Browser journey: "New visit note" twice gives one draft, and a draft is discarded after a
warning."""

import pytest
from playwright.sync_api import expect

from kneadwell.conftest import sign_in
from kneadwell.visits.models import Visit
from kneadwell.visits.tests.conftest import open_new_note

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_new_visit_note_twice_is_one_draft_and_a_draft_can_be_discarded(page, demo_client):
    tess, client = demo_client
    before = Visit.objects.filter(client=client).count()
    sign_in(page, tess.email)
    page.goto(client.get_absolute_url())
    page.get_by_role("button", name="New visit note").dblclick()
    page.wait_for_url("**/edit/")
    first = page.url
    page.go_back()  # "was that the right client?", then New visit note again
    open_new_note(page)
    assert page.url == first
    assert Visit.objects.filter(client=client).count() == before + 1

    page.get_by_label("What the client reports").fill("Wrong client, started by mistake")
    expect(page.locator("#autosave-status")).to_contain_text("Draft saved")
    page.get_by_role("link", name="Discard draft…").click()
    expect(page.get_by_role("heading", name="Discard this draft?")).to_be_visible()
    page.get_by_role("button", name="Discard the draft").click()

    expect(page.get_by_text("The draft was discarded.")).to_be_visible()
    assert Visit.objects.filter(client=client).count() == before
    assert page.evaluate("Object.keys(localStorage).length") == 0
