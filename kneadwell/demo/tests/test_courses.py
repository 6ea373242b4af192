"""The Demo Clinic's progress states: a plan changed at reassessment, a discharged client, and
reassessment tasks due for the rest; every client with scores gets a chart."""

import random

import pytest
from django.urls import reverse

from kneadwell.accounts.models import User
from kneadwell.conftest import logged_in
from kneadwell.demo import courses as demo
from kneadwell.demo.clinic import create_demo
from kneadwell.plans.models import Discharge, PlanStatus, Reassessment


@pytest.fixture
def demo_clinic(db):
    clinic = create_demo().clinic
    if not Reassessment.objects.exists():  # the Demo Clinic may have been built already
        demo.populate(clinic, random.Random(7))
    return clinic


def test_one_plan_changed_at_reassessment_and_one_client_discharged(demo_clinic):
    clinic = demo_clinic
    decision = Reassessment.objects.get(client__clinic=clinic)
    assert decision.decision == "change_plan"
    assert decision.plan.versions.count() == 2
    # The demo's working clients; the outcomes history (archived, synthetic) has its own.
    record = Discharge.objects.get(client__clinic=clinic, client__archived_at__isnull=True)
    assert record.client.is_discharged
    assert record.summary["pgic"]["label"] in {"Very much improved", "Much improved"}
    assert record.summary["measures"] and record.summary["visits"]["count"] >= 6
    assert not record.client.plans.filter(status=PlanStatus.ACTIVE).exists()


def test_demo_progress_pages_show_charts_marks_and_tasks(demo_clinic):
    clinic = demo_clinic
    owner = User.objects.get(email="owner@demo.kneadwell.test")
    browser = logged_in(owner)
    changed = Reassessment.objects.get(client__clinic=clinic).client
    page = browser.get(reverse("reports:progress", args=[changed.pk])).content.decode()
    assert "<svg" in page and "Plan v2" in page
    discharged = Discharge.objects.get(
        client__clinic=clinic, client__archived_at__isnull=True
    ).client
    page = browser.get(reverse("reports:progress", args=[discharged.pk])).content.decode()
    assert "<svg" in page and "Discharged" in page
    due = 0
    working = clinic.clients.filter(archived_at__isnull=True)
    for client in working.filter(plans__status=PlanStatus.ACTIVE).distinct():
        page = browser.get(reverse("reports:progress", args=[client.pk])).content.decode()
        assert "<svg" in page
        due += "Reassessment due" in page
    assert due >= 3
