"""The client's progress page: a chart and table per measure, the status against baseline, the
reassessment task when due, and the therapist's decision recorded and acted on."""

import xml.etree.ElementTree as ET
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from kneadwell.audit.models import AccessLogEntry
from kneadwell.conftest import logged_in
from kneadwell.measures.tests.helpers import record_series
from kneadwell.plans.models import Reassessment
from kneadwell.reports.tests.progress_helpers import make_plan, sign_visits

RMDQ_12 = {str(n): int(n <= 12) for n in range(1, 25)}
RMDQ_4 = {str(n): int(n <= 4) for n in range(1, 25)}


def url(client):
    return reverse("reports:progress", args=[client.pk])


def due_plan(client, therapist):
    """A plan whose reassessment point (2 visits) has come."""
    plan, version = make_plan(client, therapist, after_visits=2, after_weeks=None)
    today = timezone.localdate()
    sign_visits(client, therapist, version, [today - timedelta(days=3), today])
    return plan, version


def test_it_draws_a_chart_and_a_table_per_measure(therapist, client_record):
    record_series(client_record, "nprs", [{"1": 8}, {"1": 6}, {"1": 3}], recall="now")
    record_series(client_record, "pgic", [{"1": 2}])
    page = logged_in(therapist).get(url(client_record)).content.decode()
    start, end = page.index("<svg"), page.index("</svg>") + len("</svg>")
    svg = ET.fromstring(page[start:end])
    scores = [c.get("data-score") for c in svg.iter("{http://www.w3.org/2000/svg}circle")]
    assert scores == ["8", "6", "3"]
    assert page.count("<svg") == 1  # the PGIC is a rating, shown but not charted
    assert "NPRS scores" in page and "<td>-5 (-63%)</td>" in page
    assert "Improved" in page and "5 points against ≥ 2: met; 63% against ≥ 30%: met" in page


def test_it_says_no_meaningful_change_and_which_threshold(therapist, client_record):
    record_series(client_record, "rmdq", [RMDQ_12, {str(n): int(n <= 8) for n in range(1, 25)}])
    page = logged_in(therapist).get(url(client_record)).content.decode()
    assert "No meaningful change" not in page  # 4 points is 33%: met by percent
    assert "4 points against ≥ 5: not met; 33% against ≥ 30%: met" in page


def test_it_shows_the_reassessment_task_when_due_with_the_templates_options(
    therapist, client_record
):
    record_series(client_record, "rmdq", [RMDQ_12, RMDQ_12])
    due_plan(client_record, therapist)
    page = logged_in(therapist).get(url(client_record)).content.decode()
    assert "Reassessment due" in page
    assert "No meaningful improvement on the primary measure" in page
    for label in ["Change the plan", "Refer to the physician", "Stop treatment and discharge"]:
        assert label in page
    assert "Continue the plan" not in page
    chart = logged_in(therapist).get(client_record.get_absolute_url()).content.decode()
    assert "Reassessment due" in chart and url(client_record) in chart


def test_it_offers_to_continue_when_the_course_works(therapist, client_record):
    record_series(client_record, "rmdq", [RMDQ_12, RMDQ_4])
    due_plan(client_record, therapist)
    page = logged_in(therapist).get(url(client_record)).content.decode()
    assert "Continue the plan" in page and "Refer to the physician" not in page


def test_it_is_quiet_before_the_point(therapist, client_record):
    plan, version = make_plan(client_record, therapist, after_visits=4, after_weeks=None)
    sign_visits(client_record, therapist, version, [timezone.localdate()])
    page = logged_in(therapist).get(url(client_record)).content.decode()
    assert "Reassessment due" not in page
    assert "after 3 more signed visits" in page


def test_a_decision_is_recorded_and_restarts_the_count(therapist, client_record):
    record_series(client_record, "rmdq", [RMDQ_12, RMDQ_12])
    plan, version = due_plan(client_record, therapist)
    browser = logged_in(therapist)
    response = browser.post(url(client_record), {"decision": "change_plan", "note": "Try NMT"})
    assert response.status_code == 302
    assert response["Location"] == reverse("plans:edit", args=[client_record.pk, plan.pk])
    decision = Reassessment.objects.get()
    assert (decision.decision, decision.note, decision.by) == ("change_plan", "Try NMT", therapist)
    assert (decision.plan, decision.plan_version) == (plan, version)
    assert (decision.primary_instrument, decision.primary_status) == (
        "rmdq",
        "no_meaningful_change",
    )
    assert AccessLogEntry.objects.filter(what="reassessment decision").exists()
    assert "Reassessment due" not in browser.get(url(client_record)).content.decode()


def test_refer_leads_to_a_letter_and_stop_to_the_discharge(therapist, client_record):
    record_series(client_record, "rmdq", [RMDQ_12, RMDQ_12])
    due_plan(client_record, therapist)
    browser = logged_in(therapist)
    response = browser.post(
        url(client_record), {"decision": "refer_physician", "note": "Sleep worse"}
    )
    decision = Reassessment.objects.get()
    letter = reverse("reports:reassessment_letter", args=[client_record.pk, decision.pk])
    assert response["Location"] == letter
    page = browser.get(letter).content.decode()
    assert "referring the client back to you" in page and "Sleep worse" in page
    assert "RMDQ-24" in page
    decision.delete()
    response = browser.post(url(client_record), {"decision": "stop"})
    assert response["Location"] == reverse("reports:discharge", args=[client_record.pk])


def test_a_missing_or_unoffered_decision_is_explained_and_the_note_kept(therapist, client_record):
    record_series(client_record, "rmdq", [RMDQ_12, RMDQ_4])
    due_plan(client_record, therapist)
    browser = logged_in(therapist)
    response = browser.post(url(client_record), {"note": "Much better at work"})
    page = response.content.decode()
    assert response.status_code == 422
    assert "Choose what happens next." in page and "Much better at work" in page
    response = browser.post(url(client_record), {"decision": "stop", "note": "x"})
    assert "Choose one of the options offered for this plan." in response.content.decode()
    assert not Reassessment.objects.exists()


def test_plan_changes_are_marked_on_the_chart(therapist, client_record):
    record_series(client_record, "nprs", [{"1": 8}, {"1": 6}], recall="now")
    plan, version = make_plan(client_record, therapist)
    plan.versions.create(number=2, max_pressure=3, created_by=therapist)
    page = logged_in(therapist).get(url(client_record)).content.decode()
    assert 'class="chart-plan-change"' in page and "Plan v2" in page
