"""The chart, progress page and note fit a laptop (1366×900) and a phone (390 px): nothing is
clipped or wider than the window, chart labels are readable on a phone, long unbroken text
wraps, and the sticky Save/Sign bar never covers the field in use (issue 10, item 6)."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from kneadwell.accounts.models import User
from kneadwell.conftest import sign_in
from kneadwell.demo.clinic import create_demo
from kneadwell.screening.enforce import record_screening
from kneadwell.visits import notes
from kneadwell.visits.models import Visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = [(1366, 900), (390, 844)]
# Elements sticking out of their card (or the page): see the file for what counts.
CLIPPED = (Path(__file__).parent / "clipped.js").read_text()
UNBROKEN = "Tightness" + "x" * 240 + "andtenderness"


@pytest.fixture
def record():
    """A demo client with outcome series, both NPRS recall periods, a signed note with long
    unbroken text and a draft note."""
    create_demo()
    tess = User.objects.get(email="tess@demo.kneadwell.test")
    client = tess.assigned_clients.order_by("id").first()
    client.family_name = "Featherstonehaugh-Cholmondeley" + "x" * 40
    client.save()
    record_screening(client, {"conditions": ["chronic_lbp"]}, "intake", tess)
    signed = notes.start_visit(client, tess, from_last=False)
    signed.visit_date = timezone.localdate() - timedelta(days=1)
    signed.nprs, signed.objective = 3, UNBROKEN
    signed.save()
    notes.sign(signed, tess)
    draft = Visit.objects.create(clinic_id=client.clinic_id, client=client, therapist=tess)
    return tess, client, signed, draft


def _pages(client, signed, draft) -> list[str]:
    return [
        "/clients/",
        client.get_absolute_url(),
        f"/clients/{client.pk}/progress/",
        draft.get_absolute_url().replace(f"/{draft.pk}/", f"/{draft.pk}/edit/"),
        signed.get_absolute_url(),
    ]


@pytest.mark.parametrize(("width", "height"), SIZES, ids=["laptop", "phone"])
def test_nothing_is_clipped_on_the_chart_progress_and_note(
    browser, live_server, record, width, height
):
    tess, client, signed, draft = record
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": height}
    )
    page = context.new_page()
    sign_in(page, tess.email)
    clipped = {}
    for path in _pages(client, signed, draft):
        page.goto(path)
        if found := page.evaluate(CLIPPED):
            clipped[path] = found
    context.close()
    assert clipped == {}


def test_chart_labels_are_readable_on_a_phone(browser, live_server, record):
    tess, client, _, _ = record
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    page = context.new_page()
    sign_in(page, tess.email)
    page.goto(f"/clients/{client.pk}/progress/")
    sizes = page.evaluate(
        """() => [...document.querySelectorAll("svg.progress-chart")].flatMap((svg) => {
            const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
            return [...svg.querySelectorAll("text")]
              .filter((t) => getComputedStyle(t).display !== "none")
              .map((t) => parseFloat(getComputedStyle(t).fontSize) * scale);
        })"""
    )
    context.close()
    assert len(sizes) > 5
    assert min(sizes) >= 9.5  # CSS pixels on screen


@pytest.mark.parametrize(("width", "height"), SIZES, ids=["laptop", "phone"])
def test_the_sticky_bar_never_covers_the_focused_field(browser, live_server, record, width, height):
    tess, client, _, draft = record
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": height}
    )
    page = context.new_page()
    sign_in(page, tess.email)
    page.goto(f"/clients/{client.pk}/visits/{draft.pk}/edit/")
    page.wait_for_load_state("load")
    page.locator("#id_visit_date").focus()
    covered, seen = [], 0
    for _ in range(150):
        page.keyboard.press("Tab")
        where = page.evaluate(
            """() => {
              const field = document.activeElement, bar = document.querySelector(".sticky-actions");
              if (bar.contains(field)) return null;
              const f = field.getBoundingClientRect(), b = bar.getBoundingClientRect();
              return {name: field.name || field.id, top: f.top, bottom: f.bottom, bar: b.top};
            }"""
        )
        if where is None:
            break
        seen += 1
        if where["bottom"] > where["bar"] + 0.5 or where["top"] < 0:
            covered.append(where)
    context.close()
    assert seen > 30  # the walk reached the fields below the fold
    assert covered == []
