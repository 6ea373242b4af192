"""A therapist opens a demo client's progress page in real Chromium, sees the chart, records a
reassessment decision and discharges the client."""

import pytest

from kneadwell.accounts.models import User
from kneadwell.clients.models import Client
from kneadwell.conftest import sign_in
from kneadwell.demo.clinic import create_demo
from kneadwell.plans.models import Discharge, PlanStatus, Reassessment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_therapist_reassesses_and_discharges_a_demo_client(page):
    create_demo()
    tess = User.objects.get(email="tess@demo.kneadwell.test")
    client = (
        Client.objects.filter(therapists=tess, plans__status=PlanStatus.ACTIVE)
        .distinct()
        .order_by("pk")
        .first()
    )
    sign_in(page, tess.email)
    page.goto(f"/clients/{client.pk}/")
    page.get_by_role("link", name="Progress charts").click()
    assert page.get_by_role("heading", name="Progress").is_visible()
    chart = page.locator("svg.progress-chart").first
    assert chart.is_visible()
    assert chart.locator("circle.chart-point").count() >= 4
    assert page.get_by_role("table").first.is_visible()

    assert page.get_by_role("heading", name="Reassessment due").is_visible()
    choice = page.get_by_label("Continue the plan")
    if not choice.count():
        choice = page.get_by_label("Refer to the physician")
    choice.check()
    page.get_by_label("Note").fill("Reviewed with the client.")
    page.get_by_role("button", name="Record the decision").click()
    assert Reassessment.objects.get(client=client).note == "Reviewed with the client."

    page.goto(f"/clients/{client.pk}/progress/")
    page.get_by_role("link", name="Discharge summary…").click()
    page.get_by_role("button", name="Discharge the client").click()
    assert page.get_by_text("Write your recommendations for the client and physician.").is_visible()
    for group in page.locator("fieldset.choices").all():
        group.get_by_label("Met", exact=True).check()
    page.get_by_role("textbox", name="Recommendations").fill("Keep walking every day.")
    page.get_by_role("button", name="Discharge the client").click()

    assert page.get_by_role("heading", name="Discharge summary").is_visible()
    assert page.get_by_text("Keep walking every day.").is_visible()
    client.refresh_from_db()
    assert client.is_discharged
    assert Discharge.objects.get(client=client).summary["measures"]
