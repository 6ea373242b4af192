"""The demo outcome-measure series."""

import random
from datetime import date

from kneadwell.conftest import make_client
from kneadwell.measures import demo
from kneadwell.measures.models import Response
from kneadwell.measures.progress import courses


def test_it_gives_about_half_the_clients_a_scored_series(clinic, therapist):
    clients = [make_client(clinic, therapist, family_name=f"Demo{n}") for n in range(20)]
    created = demo.populate(clinic, random.Random(7), today=date(2026, 11, 1))
    assert created == Response.objects.count() > 0
    with_data = {r.client_id for r in Response.objects.all()}
    assert 4 <= len(with_data) <= 16
    statuses = set()
    for client in clients:
        for course in courses(client.measure_responses.all()):
            assert len(course.responses) >= 3
            statuses.update(r.status for r in course.readings)
    assert "improved" in statuses and len(statuses) >= 2
    assert set(Response.objects.values_list("instrument", flat=True)) >= {"nprs"}
    assert all(
        r.context == {"recall": "average_week"} for r in Response.objects.filter(instrument="nprs")
    )
