"""Plans in the browser: created from the template, filtered by screening, versioned."""

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from kneadwell.audit.models import AccessLogEntry, Action
from kneadwell.conftest import logged_in
from kneadwell.plans import safety
from kneadwell.plans.build import Restrictions
from kneadwell.plans.models import Plan

FORM = {
    "condition": "chronic_lbp",
    "save": "1",
    "goals": "Garden for an hour\nSleep through the night",
    "techniques": ["swedish", "myofascial_release"],
    "max_pressure": "3",
    "session_minutes": "45",
    "sessions_per_week": "1",
    "planned_sessions": "8",
    "reassess_after_visits": "4",
    "combine_with": ["exercise", "physician"],
    "measures_baseline": ["rmdq", "nprs"],
    "measures_every_visit": ["nprs"],
}


@pytest.fixture
def no_restrictions(monkeypatch):
    monkeypatch.setattr(safety, "restrictions_for", lambda client: Restrictions())


def test_choosing_a_condition_prefills_the_template(therapist, client_record, no_restrictions):
    url = reverse("plans:create", args=[client_record.pk])
    page = logged_in(therapist).post(url, {"condition": "chronic_lbp"}).content.decode()
    assert 'value="swedish" id="id_techniques_0" checked' in page
    assert "proposed convention" in page
    assert not Plan.objects.exists()


def test_saving_creates_version_one_and_logs_it(therapist, client_record, no_restrictions):
    url = reverse("plans:create", args=[client_record.pk])
    response = logged_in(therapist).post(url, FORM)
    plan = Plan.objects.get()
    assert response["Location"] == plan.get_absolute_url()
    version = plan.current()
    assert version.number == 1
    assert version.techniques == ["swedish", "myofascial_release"]
    assert [g["text"] for g in version.goals] == ["Garden for an hour", "Sleep through the night"]
    assert AccessLogEntry.objects.filter(action=Action.CREATE, what="treatment plan").exists()


def test_the_screening_cap_is_enforced_with_a_plain_message(therapist, client_record, monkeypatch):
    monkeypatch.setattr(
        safety,
        "restrictions_for",
        lambda c: Restrictions(max_pressure=2, max_pressure_reason="Anticoagulant (caution)"),
    )
    url = reverse("plans:create", args=[client_record.pk])
    page = logged_in(therapist).post(url, FORM).content.decode()
    assert "The screening caps pressure at level 2: Anticoagulant (caution)" in page
    assert "Garden for an hour" in page
    assert not Plan.objects.exists()


def test_a_change_makes_a_new_version_and_keeps_the_old(therapist, client_record, no_restrictions):
    browser = logged_in(therapist)
    browser.post(reverse("plans:create", args=[client_record.pk]), FORM)
    plan = Plan.objects.get()
    edit = reverse("plans:edit", args=[client_record.pk, plan.pk])
    data = {**FORM, "planned_sessions": "10"}
    page = browser.post(edit, data).content.decode()
    assert "Say briefly what changed" in page
    browser.post(edit, {**data, "change_note": "Slower progress than hoped"})
    assert [v.number for v in plan.versions.all()] == [2, 1]
    assert plan.current().planned_sessions == 10
    assert plan.versions.get(number=1).planned_sessions == 8
    history = browser.get(plan.get_absolute_url()).content.decode()
    assert "Slower progress than hoped" in history


def test_access(owner, therapist, colleague, desk, outsider, client_record, no_restrictions):
    logged_in(therapist).post(reverse("plans:create", args=[client_record.pk]), FORM)
    plan = Plan.objects.get()
    urls = [
        reverse("plans:create", args=[client_record.pk]),
        plan.get_absolute_url(),
        reverse("plans:edit", args=[client_record.pk, plan.pk]),
    ]
    for url in urls:
        assert HttpClient().get(url).status_code == 302
        assert logged_in(outsider).get(url).status_code == 404
        assert logged_in(colleague).get(url).status_code == 404
        assert logged_in(desk).get(url).status_code == 403
        assert logged_in(owner).get(url).status_code == 200
        assert logged_in(therapist).get(url).status_code == 200


def test_a_new_plan_brings_a_discharged_client_back_into_treatment(
    therapist, client_record, no_restrictions
):
    client_record.status = "discharged"
    client_record.save()
    logged_in(therapist).post(reverse("plans:create", args=[client_record.pk]), FORM)
    client_record.refresh_from_db()
    assert client_record.status == "active"
    assert client_record.discharged_at is None
