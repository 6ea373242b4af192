"""Browser journey: the red-flag check-in inside the note, answered before the note signs."""

import pytest
from playwright.sync_api import expect

from kneadwell.accounts.models import User
from kneadwell.conftest import sign_in
from kneadwell.demo.clinic import create_demo
from kneadwell.knowledge.loader import load_knowledge
from kneadwell.screening.enforce import record_intake
from kneadwell.visits.models import Visit
from kneadwell.visits.tests.conftest import open_new_note

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_sciatica_note_signs_once_the_check_in_is_answered(page):
    create_demo()
    kb = load_knowledge()
    tess = User.objects.get(email="tess@demo.kneadwell.test")
    client = tess.assigned_clients.order_by("id").first()
    no_flags = {flag: False for flag in kb.red_flags}
    record_intake(client, {"conditions": ["sciatica"], "red_flags": no_flags}, tess)
    questions = [f.question for f in kb.red_flags_for("sciatica", every_visit=True)]

    sign_in(page, tess.email)
    page.goto(client.get_absolute_url())
    open_new_note(page)
    expect(page.get_by_role("group", name="Red-flag check-in for today")).to_be_visible()
    page.get_by_label("What the client reports").fill("Leg pain eased since Tuesday")
    page.get_by_role("button", name="Sign note").click()

    expect(page.get_by_text("Answer every check-in question, yes or no")).to_be_visible()
    expect(page.get_by_label("What the client reports")).to_have_value(
        "Leg pain eased since Tuesday"
    )
    for question in questions:
        page.get_by_role("group", name=question).get_by_label("No").check()
    page.get_by_role("button", name="Sign note").click()

    expect(page.get_by_text("Note signed.")).to_be_visible()
    note = Visit.objects.get(client=client, therapist=tess, status="signed", checkin__isnull=False)
    assert note.client_report == "Leg pain eased since Tuesday"
