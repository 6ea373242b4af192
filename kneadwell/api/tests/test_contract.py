"""The API against its own OpenAPI schema (issue 12): schemathesis sends generated requests, good
and bad, to every operation of /api/v1/openapi.json as a therapist, and fails on a server error,
a response that breaks its schema, bad data accepted, or an unknown field accepted.

Part of `make test` (marked `contract`: `make contract` runs it alone). Bounded: MAX_EXAMPLES
per operation and mode, about a minute of CPU. Path ids point at the therapist's real records,
so generated bodies reach the code behind the 404."""

import json
from datetime import date

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
)

from kneadwell.appointments.tests.helpers import MONDAY, at, book, set_up_calendar
from kneadwell.conftest import bearer
from kneadwell.measures.tests.helpers import record_series
from kneadwell.reports.tests.progress_helpers import make_plan
from kneadwell.screening.enforce import record_screening
from kneadwell.visits.models import Visit
from kneadwell.wsgi import application

MAX_EXAMPLES = 8
CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    content_type_conformance,
    negative_data_rejection,
]
UNKNOWN = "zz_not_a_field"
pytestmark = pytest.mark.contract


# Loaded at import, from the running app (schemathesis' lazy `from_fixture` loader does not work
# with pytest 9: it sets a node attribute pytest no longer has). The schema needs no database.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
schema.config.generation.update(max_examples=MAX_EXAMPLES)


@pytest.fixture
def open_connection(db):
    """As Django's test client does: the test's database connection stays open across the
    requests schemathesis sends to the WSGI app."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def ids(client_record, therapist, clinic, colleague, owner):
    """The records the generated requests' path ids point at."""
    _, follow_up = set_up_calendar(clinic, therapist, colleague, owner)
    appointment = book(client_record, therapist, follow_up, at(MONDAY, 10))
    record_screening(client_record, {}, "intake", therapist)
    plan, version = make_plan(client_record, therapist)
    visit = Visit.objects.create(
        clinic_id=client_record.clinic_id, client=client_record, therapist=therapist,
        plan_version=version, visit_date=date(2026, 11, 2),
    )  # fmt: skip
    [response] = record_series(client_record, "nprs", [{"1": 3}], recall="now")
    return {
        "client_id": client_record.pk,
        "plan_id": plan.pk,
        "visit_id": visit.pk,
        "response_id": response.pk,
        "instrument_id": "nprs",
        "pk": appointment.pk,
    }


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_keeps_its_contract(case, open_connection, ids, therapist):
    headers = {"Authorization": bearer(therapist)["HTTP_AUTHORIZATION"]}
    case.cookies = {}  # the token, not a (generated, empty) session cookie
    positive = not case.meta.generation.mode.is_negative
    for name in case.path_parameters or {}:
        if name in ids and positive:
            case.path_parameters[name] = ids[name]
    if isinstance(case.body, dict) and positive:
        _refuses_an_unknown_field(case, headers)
    case.call_and_validate(headers=headers, checks=CHECKS)


def _refuses_an_unknown_field(case, headers) -> None:
    """The same request with one field more is refused, naming that field, before anything
    is done (the built-in negative check leaves unknown properties alone)."""
    response = case.call(headers=headers, json={**case.body, UNKNOWN: 1})
    assert response.status_code == 422, f"{case.operation.label} accepted {UNKNOWN}"
    assert f"{UNKNOWN}: unknown field" in json.loads(response.content)["detail"]
