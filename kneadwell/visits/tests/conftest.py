"""Visit-note test helpers: a demo therapist's client with a screening, opening a new note."""

import pytest

from kneadwell.accounts.models import User
from kneadwell.demo.clinic import create_demo
from kneadwell.screening.enforce import record_screening


@pytest.fixture
def demo_client():
    """Tess and her first demo client, screened for chronic low back pain (no check-in needed)."""
    create_demo()
    tess = User.objects.get(email="tess@demo.kneadwell.test")
    client = tess.assigned_clients.order_by("id").first()
    record_screening(client, {"conditions": ["chronic_lbp"]}, "intake", tess)
    return tess, client


def open_new_note(page):
    page.get_by_role("button", name="New visit note").click()
    page.wait_for_url("**/edit/")
    # The autosave script is deferred: wait until it is listening before typing.
    page.wait_for_load_state("load")
