"""The chart page: its query count stays the same however much the client has on record."""

from datetime import date, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

from kneadwell.conftest import logged_in
from kneadwell.measures.models import Response
from kneadwell.screening.enforce import record_intake
from kneadwell.visits.models import Visit


def _add_visits(client, therapist, count, start):
    for i in range(count):
        day = start + timedelta(days=7 * i)
        visit = Visit.objects.create(
            clinic_id=client.clinic_id,
            client=client,
            therapist=therapist,
            visit_date=day,
            nprs=5,
            treatment=[{"technique": "swedish", "region": "low_back", "pressure": 2}],
        )
        visit.sign(therapist)
        Response.record(client, "nprs", {"1": 5}, recall="now", entered_by=therapist)


def test_the_chart_makes_a_fixed_number_of_queries(therapist, client_record):
    record_intake(client_record, {"conditions": ["chronic_lbp"]}, therapist)
    browser = logged_in(therapist)
    _add_visits(client_record, therapist, 1, date(2026, 1, 5))
    with CaptureQueriesContext(connection) as few:
        assert browser.get(client_record.get_absolute_url()).status_code == 200
    _add_visits(client_record, therapist, 12, date(2026, 3, 2))
    with CaptureQueriesContext(connection) as more:
        browser.get(client_record.get_absolute_url())
    assert len(more) == len(few)
