"""Browser journeys of the calendar: front desk books a series from a plan; the therapist opens
today's first appointment from the day view and signs its note in at most 10 actions."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kneadwell.accounts.models import User
from kneadwell.appointments.models import Appointment, Status
from kneadwell.conftest import sign_in
from kneadwell.demo.clinic import create_demo
from kneadwell.plans.models import Plan, PlanStatus
from kneadwell.visits.models import Visit
from kneadwell.visits.tests.test_browser_visit import Actions

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo():
    create_demo()
    return {
        "desk": User.objects.get(email="desk@demo.kneadwell.test"),
        "tess": User.objects.get(email="tess@demo.kneadwell.test"),
        "theo": User.objects.get(email="theo@demo.kneadwell.test"),
    }


def test_front_desk_books_a_series_from_a_plan(page, demo):
    theo = demo["theo"]
    plan = Plan.objects.filter(status=PlanStatus.ACTIVE, client__therapists=theo).first()
    before = Appointment.objects.count()
    sign_in(page, demo["desk"].email)
    page.goto(plan.client.get_absolute_url())
    page.get_by_role("link", name="Book a series for the plan").first.click()
    page.get_by_label("Therapist").select_option(label=str(theo))
    page.get_by_label("Type").select_option(label="Follow-up (45 min)")
    # Beyond the Demo Clinic's booked weeks (they follow the day the test runs): a Monday half a
    # year on, and its Wednesday.
    monday = timezone.localdate() + timedelta(weeks=26)
    monday -= timedelta(days=monday.weekday())
    wednesday = monday + timedelta(days=2)
    page.get_by_label("From").fill(monday.isoformat())
    for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"):
        page.get_by_label(day, exact=True).set_checked(day == "Wednesday")
    page.get_by_label("At", exact=True).fill("16:15")
    page.get_by_label("Sessions").fill("4")
    page.get_by_role("button", name="Show the series").click()
    first = f"{wednesday:%a} {wednesday.day} {wednesday:%b %Y}, 16:15"
    expect(page.get_by_role("table")).to_contain_text(first)
    page.get_by_role("button", name="Book the free ones").click()
    expect(page.get_by_text("Booked 4 appointment(s).")).to_be_visible()
    booked = Appointment.objects.filter(plan=plan, therapist=theo).order_by("starts_at")
    assert Appointment.objects.count() == before + 4 and booked.count() == 4


def test_the_therapist_signs_todays_first_appointments_note_in_10_actions(page, demo):
    tess = demo["tess"]
    sign_in(page, tess.email)
    page.goto(f"/calendar/?therapist={tess.pk}")  # the day view: counting starts here
    first = page.get_by_role("region", name=str(tess)).get_by_role("link").first
    actions = Actions()
    actions.click(first)
    actions.click(page.get_by_role("button", name="Start the visit note"))
    page.wait_for_url("**/edit/")
    page.wait_for_load_state("load")
    actions.click(page.locator("label[for=id_nprs_3]"))
    actions.type_free_text(page.get_by_label("What the client reports"), "Easier on the stairs")
    actions.click(page.get_by_role("button", name="Sign note"))
    expect(page.get_by_text("Note signed.")).to_be_visible()
    assert actions.count <= 10
    visit = Visit.objects.get(appointment__isnull=False, therapist=tess)
    assert visit.is_signed and visit.nprs == 3
    assert visit.appointment.status == Status.COMPLETED
