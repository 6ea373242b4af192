"""Questionnaires the plan asks for, answered at home on the instrument forms, scored into the
same series; licensed wording only where the clinic loaded it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kneadwell.audit.models import AccessLogEntry, Channel
from kneadwell.measures.models import LicensedText, Response, Source
from kneadwell.measures.tests.helpers import ODI_LICENSED
from kneadwell.portal import questionnaires
from kneadwell.portal.tests.conftest import portal_browser
from kneadwell.reports.tests.progress_helpers import make_plan

pytestmark = pytest.mark.django_db


def ids(client):
    return [spec.id for spec in questionnaires.due(client)]


def test_nothing_is_due_without_a_plan(account):
    assert ids(account.client) == []


def test_the_plans_baseline_is_due_until_answered(account, therapist):
    make_plan(account.client, therapist, measures={"baseline": ["nprs", "pgic"]})
    assert ids(account.client) == ["nprs", "pgic"]
    Response.record(account.client, "nprs", {"1": 5}, recall="now")
    assert ids(account.client) == ["pgic"]


def test_licence_gated_wording_is_asked_only_where_the_clinic_loaded_it(account, therapist):
    make_plan(account.client, therapist, measures={"baseline": ["odi"]})
    assert ids(account.client) == []
    LicensedText.install(account.client.clinic, ODI_LICENSED)
    assert ids(account.client) == ["odi"]
    page = portal_browser(account).get(reverse("portal:questionnaire", args=[1]))
    assert "Licensed question 1" in page.content.decode()


def test_the_reassessment_measures_are_due_at_the_reassessment_point(account, therapist):
    plan, version = make_plan(
        account.client, therapist, after_visits=None, after_weeks=4, measures={"periodic": ["pgic"]}
    )
    assert ids(account.client) == []
    plan.versions.filter(pk=version.pk).update(created_at=timezone.now() - timedelta(weeks=5))
    assert ids(account.client) == ["pgic"]


def test_the_answers_are_scored_into_the_same_series(account, therapist):
    make_plan(account.client, therapist, measures={"baseline": ["nprs"]})
    Response.record(
        account.client, "nprs", {"1": 7}, recall="now", taken_at=timezone.now() - timedelta(days=60)
    )
    browser = portal_browser(account)
    assert (
        "Numerical Pain Rating Scale"
        in browser.get(reverse("portal:questionnaires")).content.decode()
    )
    before = AccessLogEntry.objects.count()
    response = browser.post(
        reverse("portal:questionnaire", args=[1]),
        {"recall": "now", "item_1": "3", "source": "staff", "taken_at": "2001-01-01T00:00"},
    )
    assert response.status_code == 302
    latest = account.client.measure_responses.first()
    assert latest.score == 3
    assert latest.source == Source.CLIENT  # never taken from the form
    assert latest.entered_by is None
    assert latest.taken_at > timezone.now() - timedelta(minutes=5)
    entry = AccessLogEntry.objects.order_by("id")[before:].get()
    assert entry.channel == Channel.PORTAL and entry.action == "create"
    assert ids(account.client) == []


def test_a_questionnaire_not_due_is_not_found(account):
    browser = portal_browser(account)
    assert browser.get(reverse("portal:questionnaire", args=[1])).status_code == 404
    assert browser.get(reverse("portal:questionnaire", args=[0])).status_code == 404


def test_an_incomplete_answer_is_refused_next_to_the_item_and_kept(account, therapist):
    make_plan(account.client, therapist, measures={"baseline": ["nprs"]})
    browser = portal_browser(account)
    response = browser.post(reverse("portal:questionnaire", args=[1]), {"item_1": "4"})
    assert response.status_code == 200
    assert not account.client.measure_responses.exists()
    form = response.context["form"]
    assert form.errors  # the recall period is named
    assert form["item_1"].value() == "4"
    assert "Choose which one you rate." in response.content.decode()
