"""The access log and its export as anonymous, outsider, unassigned colleague, front desk,
therapist and owner: only owners read it, each their own clinic's entries."""

import pytest
from django.urls import reverse

from kneadwell.conftest import OWNER_PAGE, Route, check_access, logged_in

ROUTES = [
    Route("log", lambda c: reverse("audit:log"), OWNER_PAGE),
    Route("csv export", lambda c: reverse("audit:csv"), OWNER_PAGE),
]


@pytest.fixture
def chart_read(therapist, client_record):
    """One entry in this clinic's log: the therapist opened the chart."""
    logged_in(therapist).get(reverse("clients:detail", args=[client_record.pk]))
    return client_record


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_access(people, chart_read, route):
    check_access(people, route, chart_read)


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_an_owner_sees_only_their_own_clinics_entries(people, chart_read, route):
    assert b"tara@willow.test" in _body(logged_in(people["owner"]).get(route.url(chart_read)))
    assert b"tara@willow.test" not in _body(
        logged_in(people["outsider"]).get(route.url(chart_read))
    )
