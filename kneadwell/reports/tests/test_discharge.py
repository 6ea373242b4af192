"""The discharge summary: baseline against final, visits, goals, PGIC and recommendations,
saved as a snapshot; the client is marked discharged and the plan closed."""

import re
from datetime import date

from django.urls import reverse

from kneadwell.audit.models import AccessLogEntry
from kneadwell.conftest import logged_in
from kneadwell.measures.tests.helpers import record_series
from kneadwell.plans.models import Discharge, PlanStatus
from kneadwell.reports.tests.progress_helpers import make_plan, sign_visits

GOALS = [
    {"text": "Garden for an hour", "psfs_activity": ""},
    {"text": "Sleep through", "psfs_activity": ""},
]


def url(client):
    return reverse("reports:discharge", args=[client.pk])


def course(client, therapist):
    record_series(client, "nprs", [{"1": 7}, {"1": 3}], recall="now")
    record_series(client, "pgic", [{"1": 2}])
    plan, version = make_plan(client, therapist, goals=GOALS)
    sign_visits(client, therapist, version, [date(2026, 9, 1), date(2026, 9, 8), date(2026, 9, 15)])
    return plan


def test_the_form_shows_the_course_and_asks_about_each_goal(therapist, client_record):
    course(client_record, therapist)
    page = logged_in(therapist).get(url(client_record)).content.decode()
    assert "3 signed visits, 2026-09-01 to 2026-09-15" in page
    assert "Goal: Garden for an hour" in page and "Goal: Sleep through" in page
    assert "Much improved" in page  # the latest PGIC, in words


def test_without_a_pgic_it_prompts_for_one(therapist, client_record):
    record_series(client_record, "nprs", [{"1": 7}, {"1": 3}], recall="now")
    page = logged_in(therapist).get(url(client_record)).content.decode()
    assert "No PGIC recorded" in page
    assert reverse("measures:new", args=[client_record.pk, "pgic"]) in page


def test_discharging_saves_a_snapshot_closes_the_plan_and_marks_the_client(
    therapist, client_record
):
    plan = course(client_record, therapist)
    form = {"goal_0": "met", "goal_1": "partly", "recommendations": "Keep walking daily."}
    response = logged_in(therapist).post(url(client_record), form)
    record = Discharge.objects.get()
    assert response["Location"] == record.get_absolute_url()
    client_record.refresh_from_db()
    plan.refresh_from_db()
    assert client_record.is_discharged and client_record.discharged_at == record.discharged_at
    assert plan.status == PlanStatus.CLOSED
    summary = record.summary
    assert summary["visits"] == {"count": 3, "first": "2026-09-01", "last": "2026-09-15"}
    (nprs,) = summary["measures"]
    assert (nprs["baseline"]["score"], nprs["final"]["score"]) == ("7", "3")
    assert nprs["readings"][0]["status"] == "improved"
    assert [g["outcome_label"] for g in summary["goals"]] == ["Met", "Partly met"]
    assert summary["pgic"]["label"] == "Much improved"
    assert (record.recommendations, record.by) == ("Keep walking daily.", therapist)
    assert AccessLogEntry.objects.filter(what="discharge summary", action="create").exists()


def test_the_summary_page_is_printable_and_the_chart_and_list_show_the_badge(
    therapist, client_record
):
    course(client_record, therapist)
    browser = logged_in(therapist)
    form = {"goal_0": "met", "goal_1": "not_met", "recommendations": "Home stretches."}
    page = browser.post(url(client_record), form, follow=True).content.decode()
    assert "Discharge summary" in page and "Home stretches." in page and "Not met" in page
    chart = browser.get(client_record.get_absolute_url()).content.decode()
    assert "Discharged " in chart
    assert "Discharged" in browser.get(reverse("clients:list")).content.decode()


def test_missing_answers_are_explained_next_to_the_field_and_typing_kept(therapist, client_record):
    course(client_record, therapist)
    response = logged_in(therapist).post(
        url(client_record), {"goal_0": "met", "recommendations": ""}
    )
    page = response.content.decode()
    assert "Say whether this goal was met, partly met or not met." in page
    assert "Write your recommendations for the client and physician." in page
    assert re.search(r'name="goal_0" value="met"[^>]*checked', page)  # kept
    assert not Discharge.objects.exists()
    client_record.refresh_from_db()
    assert not client_record.is_discharged
