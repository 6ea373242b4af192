"""The idle sign-out never costs a note: a long session, then typing and Sign (issue 10, item 1).

The idle limit is one minute here; the clock is moved on instead of waiting, in the server
(this process) only: the browser keeps real time.
"""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from kneadwell.conftest import sign_in
from kneadwell.demo.clinic import DEMO_PASSWORD
from kneadwell.visits.models import Visit
from kneadwell.visits.tests.conftest import open_new_note

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_note_typed_after_the_idle_limit_is_signed_after_signing_in_again(
    page, demo_client, settings
):
    settings.KNEADWELL_IDLE_MINUTES = 1
    tess, client = demo_client
    with time_machine.travel(timezone.now(), tick=True) as clock:
        sign_in(page, tess.email)
        page.goto(client.get_absolute_url())
        open_new_note(page)
        page.get_by_label("What the client reports").fill("Sore after gardening")
        expect(page.locator("#autosave-status")).to_contain_text("Draft saved")

        clock.shift(timedelta(seconds=90))  # the session runs past the idle limit
        page.get_by_label("Findings").fill("Tender left paraspinals at L4-L5")
        page.get_by_role("button", name="Sign note").click()

        expect(page.get_by_text("signed out after a period without activity")).to_be_visible()
        page.get_by_label("Email").fill(tess.email)
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Sign in").click()

        page.wait_for_url("**/edit/")
        expect(page.locator("#restored-draft")).to_contain_text("not signed yet")
        expect(page.get_by_label("Findings")).to_have_value("Tender left paraspinals at L4-L5")
        expect(page.get_by_label("What the client reports")).to_have_value("Sore after gardening")
        page.get_by_role("button", name="Sign note").click()
        expect(page.get_by_text("Note signed.")).to_be_visible()

    note = Visit.objects.get(client=client, therapist=tess)
    assert note.is_signed
    assert note.objective == "Tender left paraspinals at L4-L5"
    assert note.client_report == "Sore after gardening"
    assert page.evaluate("Object.keys(localStorage).length") == 0
