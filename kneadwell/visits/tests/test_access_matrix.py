"""Every visit-note page and API route as anonymous, outsider, unassigned colleague, front
desk, therapist and owner: notes are clinical, so front desk gets 403 and other clinics 404."""

from datetime import date

import pytest
from django.urls import reverse

from kneadwell.audit.models import AccessLogEntry
from kneadwell.conftest import CLINICAL_API, CLINICAL_PAGE, Route, check_access, logged_in
from kneadwell.screening.enforce import record_screening
from kneadwell.visits.models import Visit

CREATED = (401, 404, 404, 403, 201, 201)


def _visit_url(name):
    return lambda r: reverse(name, args=[r["client"].pk, r["draft"].pk])


def _signed_url(name):
    return lambda r: reverse(name, args=[r["client"].pk, r["signed"].pk])


def _api(r, visit="", tail=""):
    base = f"/api/v1/clients/{r['client'].pk}/visits"
    return f"{base}/{r[visit].pk}{tail}" if visit else base


ROUTES = [
    Route("start", lambda r: reverse("visits:start", args=[r["client"].pk]),
          (302, 404, 404, 403, 302, 302), method="post"),
    Route("edit draft", _visit_url("visits:edit"), CLINICAL_PAGE),
    Route("autosave", _visit_url("visits:autosave"), CLINICAL_PAGE, method="post",
          body={"client_report": "A little better"}),
    Route("signed note", _signed_url("visits:detail"), CLINICAL_PAGE),
    Route("addendum", _signed_url("visits:addendum"), (302, 404, 404, 403, 302, 302),
          method="post", body={"text": "Client called: no soreness."}),
    Route("visit list", lambda r: reverse("visits:list", args=[r["client"].pk]), CLINICAL_PAGE),
    Route("api list", lambda r: _api(r), CLINICAL_API, api=True),
    Route("api start", lambda r: _api(r), CREATED, method="post", body={}, api=True),
    Route("api get", lambda r: _api(r, "signed"), CLINICAL_API, api=True),
    Route("api change draft", lambda r: _api(r, "draft"), CLINICAL_API, method="patch",
          body={"client_report": "Better"}, api=True),
    Route("api addendum", lambda r: _api(r, "signed", "/addenda"), CREATED, method="post",
          body={"text": "Phoned: fine."}, api=True),
]  # fmt: skip


@pytest.fixture
def record(client_record, therapist):
    record_screening(client_record, {"conditions": ["chronic_lbp"]}, "intake", therapist)
    values = {"clinic_id": client_record.clinic_id, "client": client_record, "therapist": therapist}
    draft = Visit.objects.create(visit_date=date(2026, 11, 20), **values)
    signed = Visit.objects.create(visit_date=date(2026, 11, 13), **values)
    signed.sign(therapist)
    return {"client": client_record, "draft": draft, "signed": signed}


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_access(people, record, route):
    check_access(people, route, record)


def test_signing_through_the_api_is_scoped(people, record):
    # The therapist signs first; the owner then finds the note already signed.
    route = Route("api sign", lambda r: _api(r, "draft", "/sign"), (401, 404, 404, 403, 200, 409),
                  method="post", body={}, api=True)  # fmt: skip
    check_access(people, route, record)


def test_each_note_page_view_is_in_the_access_log(people, record):
    for route in (ROUTES[1], ROUTES[3], ROUTES[5]):
        before = AccessLogEntry.objects.filter(client_id=record["client"].pk).count()
        logged_in(people["therapist"]).get(route.url(record))
        assert AccessLogEntry.objects.filter(client_id=record["client"].pk).count() == before + 1
