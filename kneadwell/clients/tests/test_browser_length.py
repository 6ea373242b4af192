"""The length note under a text box counts characters as the server does (issue 12's "never cut,
say the limit"): an emoji is one character, not two (the walk-through saw 330 against 329)."""

import pytest
from playwright.sync_api import expect

from kneadwell.conftest import PASSWORD, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_length_note_counts_an_emoji_once(page, therapist):
    sign_in(page, therapist.email, PASSWORD)
    page.goto("/clients/new/")
    name = "Nguyễn 😀 " + "x" * 320  # 329 characters, the emoji outside the 16-bit range
    page.get_by_label("Family name").fill(name)
    expect(page.locator("#id_family_name_length")).to_contain_text("329 characters")
