"""A new client on a phone (390 px): fills in the intake, the therapist accepts it, the client
checks in before the visit, and the note opens with the check-in filled in. An emergency answer
shows the client what to do at once."""

import pytest
from django.urls import reverse

from kneadwell.conftest import PASSWORD, sign_in
from kneadwell.portal.tests.browser import fits, phone, sign_in_client
from kneadwell.visits.models import Visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def save(page):
    page.get_by_role("button", name="Save and go on").click()


def answer_no_to_everything(page):
    for radio in page.locator("input[type=radio][value=no]").all():
        radio.check()


def test_intake_acceptance_checkin_and_the_note(browser, live_server, account, therapist):
    page = phone(browser, live_server)
    sign_in_client(page, account)
    page.get_by_role("link", name="Fill in your intake").click()
    page.get_by_role("link", name="What brings you in").click()
    page.get_by_label("What brings you in?").fill("My back aches when I sit")
    page.get_by_label("Chronic low back pain").check()
    save(page)
    page.get_by_label("Other medicines you take").fill("Paracetamol")
    save(page)
    save(page)  # pregnancy: does not apply
    page.get_by_role("heading", name="Safety questions").wait_for()
    answer_no_to_everything(page)
    save(page)
    page.get_by_role("heading", name="Where it hurts").wait_for()
    assert fits(page, 390)
    page.locator("path[data-region=low_back]").click()  # the chart ticks the box below
    assert page.get_by_label("Low back (lumbar)").is_checked()
    save(page)
    page.get_by_label("What would you like to be able to do again?").fill("Sit through a film")
    save(page)
    page.get_by_label("I agree to this health check").check()
    page.get_by_label("Type your full name as your signature").fill("Ada Lovelace")
    save(page)
    page.get_by_role("button", name="Send to the clinic").click()
    page.get_by_text("You sent your intake").wait_for()

    staff = browser.new_context(base_url=live_server.url).new_page()
    sign_in(staff, therapist.email, PASSWORD)
    staff.goto(reverse("clients:detail", args=[account.client.pk]))
    staff.get_by_role("link", name="review and accept").click()
    staff.get_by_text("My back aches when I sit").wait_for()
    staff.get_by_role("button", name="Accept into a screening").click()
    staff.wait_for_url(f"**{reverse('clients:detail', args=[account.client.pk])}")

    page.goto(reverse("portal:home"))
    page.get_by_role("link", name="Check in before your visit").click()
    page.locator("label[for=id_nprs_5]").click()
    answer_no_to_everything(page)
    page.locator("#id_effect1").select_option(label="Soreness or discomfort")
    page.locator("#id_effect1_severity").fill("2")
    page.locator("#id_effect1_hours").fill("12")
    page.get_by_label("Anything else your therapist should know?").fill("Better mornings")
    assert fits(page, 390)
    page.get_by_role("button", name="Send to my therapist").click()
    page.get_by_text("Your therapist has your answers").wait_for()

    visit = Visit.objects.get(client=account.client)
    staff.goto(reverse("visits:edit", args=[account.client.pk, visit.pk]))
    assert staff.locator("input[name=nprs][value='5']").is_checked()
    assert "Better mornings" in staff.locator("#id_client_report").input_value()
    assert staff.locator("select[name='ae-0-kind']").input_value() == "soreness"


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_an_emergency_answer_shows_what_to_do_at_once(browser, live_server, account, javascript):
    page = phone(browser, live_server, javascript=javascript)
    sign_in_client(page, account)
    page.goto(reverse("portal:intake_step", args=["safety"]))
    answer_no_to_everything(page)
    page.locator("input[name=rf_ces_saddle_numbness][value=yes]").check()
    save(page)
    alert = page.get_by_role("alert")
    assert "Go to the emergency department now" in alert.inner_text()
    assert fits(page, 390)
