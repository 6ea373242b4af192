"""The outcome-measures section of the client's chart."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kneadwell.conftest import logged_in
from kneadwell.measures.tests.helpers import record_series


def chart(user, client):
    return logged_in(user).get(reverse("clients:detail", args=[client.pk])).content.decode()


def test_without_responses_it_offers_every_instrument(therapist, client_record):
    page = chart(therapist, client_record)
    assert "No questionnaires recorded yet." in page
    for instrument in ["nprs", "odi", "psfs", "groc"]:
        assert reverse("measures:new", args=[client_record.pk, instrument]) in page


def test_it_shows_baseline_latest_and_the_change_read(therapist, client_record):
    record_series(client_record, "nprs", [{"1": 8}, {"1": 6}, {"1": 3}], recall="now")
    record_series(client_record, "psfs", [{"1": 5}, {"1": 6}], activities={"1": "Gardening"})
    page = chart(therapist, client_record)
    assert "<strong>8</strong>" in page and "<strong>3</strong>" in page
    assert "Improved" in page
    assert "5 points against ≥ 2: met; 63% against ≥ 30%: met" in page
    assert "No meaningful change" in page  # PSFS up 1 point (20%)
    assert reverse("measures:list", args=[client_record.pk]) in page


def test_the_section_costs_the_same_queries_however_many_responses(therapist, client_record):
    browser = logged_in(therapist)
    url = reverse("clients:detail", args=[client_record.pk])
    record_series(client_record, "nprs", [{"1": 5}], recall="now")
    with CaptureQueriesContext(connection) as before:
        browser.get(url)
    record_series(client_record, "nprs", [{"1": n} for n in range(8)], recall="now")
    record_series(client_record, "groc", [{"1": 4}])
    with CaptureQueriesContext(connection) as after:
        browser.get(url)
    assert len(after) == len(before)


def test_the_chart_suggests_the_questionnaires_of_the_clients_conditions(therapist, client_record):
    from kneadwell.knowledge.loader import load_knowledge
    from kneadwell.reports.chart_page import suggested_instruments
    from kneadwell.screening.enforce import record_intake

    record_intake(client_record, {"conditions": ["sciatica"]}, therapist)
    found = suggested_instruments(client_record)
    wanted = load_knowledge().conditions["sciatica"].measures
    suggested = [i.id for i in found["suggested"]]
    assert suggested[0] == wanted.baseline[0]
    assert set(wanted.baseline) <= set(suggested)
    assert not {i.id for i in found["instruments"]} & set(suggested)
