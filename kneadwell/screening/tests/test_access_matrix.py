"""Every screening page and API route as anonymous, outsider, unassigned colleague, front desk,
therapist and owner. Other clinics' ids reveal nothing (404); front desk gets 403."""

import pytest
from django.urls import reverse

from kneadwell.audit.models import AccessLogEntry
from kneadwell.conftest import (
    CLINICAL_API,
    CLINICAL_PAGE,
    OWNER_PAGE,
    Route,
    check_access,
    logged_in,
)
from kneadwell.screening.enforce import record_intake
from kneadwell.screening.models import Referral


@pytest.fixture
def record(client_record, therapist):
    intake, _ = record_intake(client_record, {"red_flags": {"foot_drop": True}}, therapist)
    referral = Referral.objects.create(
        client=client_record,
        finding_id="red_flag:foot_drop",
        urgency="urgent",
        letter_html="<p>Letter</p>",
        recorded_by=therapist,
    )
    return client_record, intake, referral


def _page(name, *, intake=False, referral=False):
    def url(r):
        client, intake_record, referral_record = r
        args = [client.pk, intake_record.pk] if intake else [client.pk]
        return reverse(name, args=[client.pk, referral_record.pk] if referral else args)

    return url


PAGES = [
    Route("intake_new", _page("screening:intake_new"), CLINICAL_PAGE),
    Route("intake", _page("screening:intake", intake=True), CLINICAL_PAGE),
    Route("checkin", _page("screening:checkin"), CLINICAL_PAGE),
    Route("clearance", _page("screening:clearance_new"), CLINICAL_PAGE),
    Route("referral_new", _page("reports:referral_new"), CLINICAL_PAGE),
    Route("referral", _page("reports:referral", referral=True), CLINICAL_PAGE),
    Route("treatment_check", _page("screening:treatment_check"), CLINICAL_PAGE),
]
TREATMENT = {"treatment": [{"technique": "swedish", "region": "calf_left", "pressure": 2}]}
ROUTES = [
    *PAGES,
    Route("overrides", lambda r: reverse("screening:overrides"), OWNER_PAGE),
    Route("api questions", lambda r: "/api/v1/screening/questions", (401, *[200] * 5), api=True),
    Route("api evaluate", lambda r: "/api/v1/screening/evaluate", (401, 200, 200, 403, 200, 200),
          method="post", body={"conditions": ["sciatica"]}, api=True),
    Route("api intakes", lambda r: f"/api/v1/clients/{r[0].pk}/intakes", CLINICAL_API, api=True),
    Route("api findings", lambda r: f"/api/v1/clients/{r[0].pk}/findings", CLINICAL_API, api=True),
    Route("api create intake", lambda r: f"/api/v1/clients/{r[0].pk}/intakes",
          (401, 404, 404, 403, 422, 422), method="post",
          body={"complaint": "x", "consent": True, "red_flags": {}}, api=True),
    Route("api check treatment", lambda r: f"/api/v1/clients/{r[0].pk}/screening/check-treatment",
          (401, 404, 404, 403, 409, 409), method="post", body=TREATMENT, api=True),
]  # fmt: skip


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_access(people, record, route):
    check_access(people, route, record)


def test_each_clinical_page_view_is_in_the_access_log(people, record):
    client = record[0]
    for route in PAGES:
        before = AccessLogEntry.objects.filter(client_id=client.pk).count()
        logged_in(people["therapist"]).get(route.url(record))
        assert AccessLogEntry.objects.filter(client_id=client.pk).count() == before + 1, route


def test_the_access_log_never_holds_answers(people, record):
    client = record[0]
    logged_in(people["therapist"]).get(reverse("screening:intake", args=[client.pk, record[1].pk]))
    for entry in AccessLogEntry.objects.all():
        assert "foot" not in entry.what.lower()
