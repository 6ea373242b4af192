"""A client's measures page: responses by instrument with the change against baseline, a
fixed number of queries however many responses there are, and the read logged."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kneadwell.audit.models import AccessLogEntry
from kneadwell.conftest import logged_in
from kneadwell.measures.tests.helpers import odi_answers, record_series


def url(client):
    return reverse("measures:list", args=[client.pk])


def queries(browser, client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert browser.get(url(client)).status_code == 200
    return len(captured)


def test_it_keeps_a_fixed_query_count(therapist, client_record):
    browser = logged_in(therapist)
    record_series(client_record, "nprs", [{"1": 7}], recall="now")
    few = queries(browser, client_record)
    record_series(client_record, "nprs", [{"1": n} for n in range(10)], recall="now")
    record_series(client_record, "odi", [odi_answers(*[n % 5] * 10) for n in range(5)])
    record_series(client_record, "zcq", [{str(i): 3 for i in range(1, 19)}] * 3)
    assert queries(browser, client_record) == few


def test_it_reads_worse_and_no_meaningful_change(therapist, client_record):
    record_series(client_record, "odi", [odi_answers(*[1] * 10), odi_answers(*[3] * 10)])
    record_series(client_record, "nprs", [{"1": 5}, {"1": 4}], recall="now")
    page = logged_in(therapist).get(url(client_record)).content.decode()
    assert "Worse" in page
    assert "40 points against ≥ 10: met" in page
    assert "No meaningful change" in page
    assert "1 point against ≥ 2: not met; 20% against ≥ 30%: not met" in page


def test_it_reads_a_pgic_rating_on_its_own(therapist, client_record):
    record_series(client_record, "pgic", [{"1": 2}])
    page = logged_in(therapist).get(url(client_record)).content.decode()
    assert "Improved" in page


def test_it_shows_the_recall_period_rule_and_who_entered_it(therapist, client_record):
    record_series(client_record, "nprs", [{"1": 5}], recall="worst_24h")
    page = logged_in(therapist).get(url(client_record)).content.decode()
    assert "Worst pain in the past 24 hours" in page
    assert "Missing items: Single item; a missing rating is missing, never imputed." in page
    assert "baseline" in page


def test_it_hides_other_clients_responses(therapist, client_record, clinic):
    from kneadwell.conftest import make_client

    other = make_client(clinic, therapist, given_names="Grace", family_name="Hopper")
    record_series(other, "nprs", [{"1": 9}], recall="now")
    page = logged_in(therapist).get(url(client_record)).content.decode()
    assert "No questionnaires recorded yet." in page


def test_opening_the_page_is_logged(therapist, client_record):
    logged_in(therapist).get(url(client_record))
    entry = AccessLogEntry.objects.get()
    assert (entry.action, entry.what, entry.client_id) == (
        "view",
        "outcome measures",
        client_record.pk,
    )
