"""Every measures page and API route as anonymous, outsider, unassigned colleague, front desk,
therapist and owner. Responses are clinical: front desk gets 403, other clinics 404. The
missing-item rules page is for owners, each for their own clinic."""

import pytest
from django.urls import reverse

from kneadwell.conftest import (
    CLINICAL_API,
    CLINICAL_PAGE,
    OWNER_PAGE,
    Route,
    check_access,
    logged_in,
)
from kneadwell.measures.tests.helpers import record_series

NPRS = {"instrument": "nprs", "answers": {"1": 4}, "recall": "now"}

ROUTES = [
    Route("list", lambda r: reverse("measures:list", args=[r.client_id]), CLINICAL_PAGE),
    Route("form", lambda r: reverse("measures:new", args=[r.client_id, "odi"]), CLINICAL_PAGE),
    Route("record", lambda r: reverse("measures:new", args=[r.client_id, "nprs"]),
          (302, 404, 404, 403, 302, 302), method="post",
          body={"recall": "now", "item_1": "4", "taken_at": "2025-03-04T09:30", "source": "staff"}),
    Route("missing rules", lambda r: reverse("measures:missing_rules"), OWNER_PAGE),
    Route("api record", lambda r: f"/api/v1/clients/{r.client_id}/responses",
          (401, 404, 404, 403, 201, 201), method="post", body=NPRS, api=True),
    Route("api list", lambda r: f"/api/v1/clients/{r.client_id}/responses", CLINICAL_API,
          api=True),
    Route("api get", lambda r: f"/api/v1/responses/{r.pk}", CLINICAL_API, api=True),
    Route("api fhir", lambda r: f"/api/v1/responses/{r.pk}/fhir", CLINICAL_API, api=True),
    Route("api instruments", lambda r: "/api/v1/instruments", (401, *[200] * 5), api=True),
    Route("api questionnaire", lambda r: "/api/v1/instruments/nprs/questionnaire",
          (401, *[200] * 5), api=True),
]  # fmt: skip


@pytest.fixture
def recorded(client_record):
    (response,) = record_series(client_record, "nprs", [{"1": 6}], recall="now")
    return response


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_access(people, recorded, route):
    check_access(people, route, recorded)


def test_the_chart_shows_the_measures_section_only_to_clinical_staff(
    people, client_record, recorded
):
    url = reverse("clients:detail", args=[client_record.pk])
    assert (
        "Outcome measures and progress" in logged_in(people["therapist"]).get(url).content.decode()
    )
    assert (
        "Outcome measures and progress" not in logged_in(people["desk"]).get(url).content.decode()
    )
