"""The outcomes page, its CSV exports and settings: who sees what, what is suppressed, what
bad input gets, what lands in the access log, and a query count that does not grow."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kneadwell.analytics.models import OutcomeSettings
from kneadwell.analytics.outcomes import TOO_FEW
from kneadwell.analytics.tests.helpers import course, improving, unchanged
from kneadwell.audit.models import AccessLogEntry
from kneadwell.conftest import ROLES, logged_in

pytestmark = pytest.mark.django_db
PAGE = reverse("analytics:outcomes")
CSV = reverse("analytics:csv", args=["sessions_to_improvement"])
SETTINGS = reverse("analytics:settings")
# Courses started in March 2026 fall inside the default period (the last two years).
ALL_TIME = {"start": "2020-01-01", "end": "2030-12-31"}


def get(user, url, data=None):
    from django.test import Client

    browser = logged_in(user) if user else Client()
    return browser.get(url, data or {})


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (PAGE, [302, 200, 200, 403, 200, 200]),
        (CSV, [302, 200, 200, 403, 200, 200]),
        (SETTINGS, [302, 200, 403, 403, 403, 200]),
    ],
)
def test_access_by_role(people, url, expected):
    found = [get(people[role], url, ALL_TIME).status_code for role in ROLES]
    assert found == expected


@pytest.fixture
def two_caseloads(clinic, therapist, colleague):
    """12 courses of the therapist's clients (all improving) and 10 of the colleague's."""
    mine = improving(clinic, therapist, 12)
    theirs = unchanged(clinic, colleague, 10)
    return mine, theirs


def report_of(user, **filters):
    response = get(user, PAGE, {**ALL_TIME, **filters})
    assert response.status_code == 200
    return response.context["report"]


def test_owners_see_the_clinic_and_therapists_their_own_clients(
    two_caseloads, owner, therapist, colleague, outsider
):
    assert report_of(owner).started == 22
    assert report_of(therapist).started == 12
    assert report_of(colleague).started == 10
    assert report_of(outsider).started == 0


def test_a_therapist_sees_only_their_clients_outcomes(two_caseloads, therapist, colleague):
    # Every course has ended (no visit since April); the therapist's all improved, the
    # colleague's none did.
    mine = report_of(therapist).figure("improvement").table.rows
    theirs = report_of(colleague).figure("improvement").table.rows
    assert mine[0][:3] == ["RMDQ-24", 12, 12]
    assert theirs[0][:3] == ["RMDQ-24", 10, 0]


def test_an_owner_can_look_at_one_therapist(two_caseloads, owner, colleague):
    assert report_of(owner, therapist=colleague.pk).started == 10


def test_a_therapist_cannot_widen_the_scope_with_the_filter(two_caseloads, therapist, colleague):
    assert report_of(therapist, therapist=colleague.pk).started == 12


def test_groups_under_the_minimum_say_too_few_to_show(clinic, owner, therapist):
    improving(clinic, therapist, 9)
    report = report_of(owner)
    curve = report.figure("sessions")
    assert not curve.shown and curve.svg is None
    assert curve.table.rows == [[TOO_FEW, "", "", "", "", "", ""]]
    assert TOO_FEW in report.figure("improvement").table.rows[0]
    page = get(owner, PAGE, ALL_TIME).content.decode()
    assert "Too few to show" in page
    exported = get(owner, CSV, ALL_TIME).content.decode()
    assert TOO_FEW in exported and "100" not in exported.split("\n", 2)[2]


def test_the_minimum_is_the_clinics_setting(clinic, owner, therapist):
    improving(clinic, therapist, 9)
    OutcomeSettings.objects.create(clinic=clinic, min_group=5)
    curve = report_of(owner).figure("sessions")
    assert curve.shown and curve.quantiles[1].estimate == 3


def test_the_figures_come_from_the_courses(clinic, owner, therapist):
    improving(clinic, therapist, 6, by=3, discharged=True)
    improving(clinic, therapist, 4, by=5, discharged=True)
    unchanged(clinic, therapist, 5, discharged=True)
    report = report_of(owner)
    assert report.started == 15
    assert report.figure("courses").table.rows[0][:2] == ["Completed (discharged)", 15]
    # 10 of 15 improved: the share and its Wilson interval.
    row = report.figure("improvement").table.rows[0]
    assert row[:4] == ["RMDQ-24", 15, 10, pytest.approx(10 / 15)]
    # Kaplan–Meier: 6 of 15 by session 3 (S = 0.6), 4 more by 5 (S = 5/15): median at 5.
    sessions = report.figure("sessions")
    assert sessions.quantiles[1].estimate == 5
    steps = {row[0]: row for row in sessions.table.rows}
    assert steps[3][1:5] == [15, 6, 0, pytest.approx(0.4)]
    assert steps[4][1:4] == [9, 0, 5]  # the unchanged courses, last scored at session 4
    # Mean improvement in RMDQ points: (10 × 6 + 5 × 1) / 15.
    mean = report.figure("mean_change").table.rows[0]
    assert mean[:3] == ["RMDQ-24", 15, pytest.approx(65 / 15)]


def test_a_course_with_no_follow_up_counts_only_in_completeness(clinic, owner, therapist):
    improving(clinic, therapist, 10, discharged=True)
    course(clinic, therapist, scores={1: 14}, discharged=True)
    report = report_of(owner)
    assert report.summary["curve_n"] == 10
    rows = report.figure("completeness").table.rows
    assert rows[0][:2] == ["Baseline recorded", 11]
    assert rows[1][:3] == ["Baseline and a follow-up", 10, pytest.approx(10 / 11)]


def test_the_measure_filter_reads_another_instrument(clinic, owner, therapist):
    for _ in range(10):
        course(clinic, therapist, scores={1: 7, 2: 4}, instrument="nprs")
    assert report_of(owner).summary["curve_n"] == 0  # RMDQ, the primary, was never taken
    nprs = report_of(owner, measure="nprs")
    assert nprs.summary["curve_n"] == 10 and nprs.figure("sessions").quantiles[1].estimate == 2


def test_the_condition_and_dates_filter_the_courses(clinic, owner, therapist):
    improving(clinic, therapist, 3)
    improving(clinic, therapist, 2, condition="chronic_neck_pain")
    assert report_of(owner, condition="chronic_neck_pain").started == 2
    assert report_of(owner, start="2026-04-01", end="2026-12-31").started == 0


def test_adverse_effects_are_rates_per_100_visits(clinic, owner, therapist):
    sore = {1: [{"kind": "soreness", "severity": 2}], 2: [{"kind": "soreness", "severity": 5}]}
    for index in range(10):
        course(clinic, therapist, sessions=5, adverse=sore if index < 3 else None)
    table = report_of(owner).figure("adverse").table.rows
    assert table[0][:4] == ["Soreness or discomfort", "all", 6, pytest.approx(12.0)]  # 6 in 50
    assert [row[1:3] for row in table[1:3]] == [["mild", 3], ["moderate", 3]]
    assert report_of(owner).summary["visits"] == 50


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"start": "2026-13-45"}, "start", "Enter a date such as"),
        ({"start": "2026-05-01", "end": "2026-01-01"}, "end", "before the start date"),
        ({"condition": "toenails"}, "condition", "Choose one of the options offered"),
        ({"measure": "pgic"}, "measure", "Choose one of the options offered"),
    ],
)
def test_bad_filters_say_what_to_fix_and_keep_what_was_typed(owner, data, field, message):
    response = get(owner, PAGE, data)
    assert response.status_code == 200 and response.context["report"] is None
    assert message in str(response.context["form"].errors[field])
    page = response.content.decode()
    assert "Fix the filters above" in page
    for name, value in data.items():
        if name in ("start", "end"):  # typed dates are kept; a choice not offered cannot be
            assert f'value="{value}"' in page
    assert not AccessLogEntry.objects.filter(what__startswith="outcomes").exists()


def test_a_csv_needs_valid_filters_and_a_known_table(owner):
    assert get(owner, CSV, {"start": "nonsense"}).status_code == 404
    assert get(owner, reverse("analytics:csv", args=["salaries"])).status_code == 404


def test_every_table_exports_as_the_page_shows_it(clinic, owner, therapist):
    improving(clinic, therapist, 12, discharged=True)
    report = report_of(owner)
    for figure in report.figures:
        response = get(owner, reverse("analytics:csv", args=[figure.table.key]), ALL_TIME)
        assert response["Content-Type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(response.content.decode())))
        assert rows[1] == [c.label for c in figure.table.columns]
        assert len(rows) - 2 == len(figure.table.rows)
    sessions = list(csv.reader(io.StringIO(get(owner, CSV, ALL_TIME).content.decode())))
    # Shares are exported as percentages, raw: 100 at session 3 for courses that all improved.
    assert sessions[2][0] == "3" and float(sessions[2][4]) == 100


def test_reads_and_exports_are_in_the_access_log_without_health_data(clinic, owner, therapist):
    improving(clinic, therapist, 3)
    get(owner, PAGE, {**ALL_TIME, "condition": "chronic_lbp"})
    get(owner, CSV, ALL_TIME)
    viewed, exported = AccessLogEntry.objects.order_by("id").filter(clinic_id=clinic.pk)
    assert (viewed.action, exported.action) == ("view", "export")
    assert viewed.what.startswith("outcomes report (2020-01-01 to 2030-12-31")
    assert "condition chronic_lbp" in viewed.what
    assert viewed.client_id is None and exported.client_id is None
    assert "Lovelace" not in viewed.what + exported.what


def test_the_query_count_does_not_grow_with_the_courses(clinic, owner, therapist):
    improving(clinic, therapist, 10)
    browser = logged_in(owner)
    browser.get(PAGE, ALL_TIME)  # builds the summary
    with CaptureQueriesContext(connection) as few:
        browser.get(PAGE, ALL_TIME)
    improving(clinic, therapist, 15, condition="chronic_neck_pain")
    browser.get(PAGE, ALL_TIME)
    with CaptureQueriesContext(connection) as many:
        browser.get(PAGE, ALL_TIME)
    # The second view of each pair refreshes the same overlap window, so counts compare.
    assert len(many) == len(few)
    # The stored baseline (issue 17 item 5): session and user (3), the refresh state and one
    # look at each kind of record saved since (5), the outcome settings, three grouped scans
    # of the summary (courses, course measures, side effects) and the access-log entry.
    assert len(few) == 13, [q["sql"][:80] for q in few.captured_queries]


def test_settings_save_and_bad_values_are_refused(clinic, owner):
    browser = logged_in(owner)
    response = browser.post(SETTINGS, {"dropout_weeks": "0", "min_group": "3"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "between 1 and 104" in str(errors["dropout_weeks"])
    assert "between 5 and 1000" in str(errors["min_group"])
    assert 'value="3"' in response.content.decode()
    response = browser.post(SETTINGS, {"dropout_weeks": "12", "min_group": "20"})
    assert response.status_code == 302
    saved = OutcomeSettings.objects.get(clinic=clinic)
    assert (saved.dropout_weeks, saved.min_group) == (12, 20)


def test_drop_out_follows_the_clinics_weeks(clinic, owner, therapist):
    improving(clinic, therapist, 10)  # last visit 2026-04-06, no discharge
    rows = report_of(owner).figure("courses").table.rows
    assert rows[1][:2] == ["Dropped out", 10]
    OutcomeSettings.objects.create(clinic=clinic, dropout_weeks=104)
    rows = report_of(owner).figure("courses").table.rows
    assert rows[1][:2] == ["Dropped out", 0] and rows[2][:2] == ["Ongoing", 10]
