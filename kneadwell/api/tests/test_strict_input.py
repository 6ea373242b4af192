"""Strict input on every write endpoint (issue 12): an unknown field, a near miss of a real one
and a body of the wrong JSON type are each a 422 naming the field, and nothing is stored."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pytest
from django.test import Client as HttpClient
from pydantic import BaseModel

from kneadwell.api.api import api as ninja_api
from kneadwell.audit.models import AccessLogEntry
from kneadwell.clients.models import Client
from kneadwell.conftest import api_as, bearer
from kneadwell.core.schemas import InputSchema
from kneadwell.core.validators import MAX_ID
from kneadwell.measures.models import Response
from kneadwell.plans.models import Plan, PlanVersion
from kneadwell.reports.tests.progress_helpers import make_plan
from kneadwell.screening.enforce import record_screening
from kneadwell.screening.models import Intake, Override, Screening
from kneadwell.screening.tests.test_api import intake_body
from kneadwell.visits.models import Addendum, Visit

STORED = [Client, Intake, Screening, Override, Response, Plan, PlanVersion, Visit, Addendum]
TREATMENT = {"technique": "swedish", "region": "low_back", "pressure": 2}


@dataclass(frozen=True)
class Write:
    """One write endpoint: a body it accepts, and a field of it to misspell."""

    name: str
    method: str
    url: str  # formatted with client, plan, draft, signed
    body: dict[str, Any]
    field: str

    def __str__(self) -> str:
        return self.name


WRITES = [
    Write(
        "create client",
        "post",
        "/api/v1/clients",
        {"given_names": "Mary", "family_name": "Seacole", "birth_date": "1960-01-23"},
        "family_name",
    ),
    Write("change client", "patch", "/api/v1/clients/{client}", {"phone": "555"}, "phone"),
    Write("search clients", "post", "/api/v1/clients/search", {"q": "ada"}, "q"),
    Write(
        "evaluate answers",
        "post",
        "/api/v1/screening/evaluate",
        {"medication_classes": ["anticoagulant"]},
        "medication_classes",
    ),
    Write(
        "record intake",
        "post",
        "/api/v1/clients/{client}/intakes",
        intake_body(medication_classes=["anticoagulant"]),
        "medication_classes",
    ),
    Write(
        "check treatment",
        "post",
        "/api/v1/clients/{client}/screening/check-treatment",
        {"treatment": [TREATMENT], "override_reason": "Physician agreed"},
        "override_reason",
    ),
    Write(
        "record response",
        "post",
        "/api/v1/clients/{client}/responses",
        {"instrument": "nprs", "answers": {"1": 4}, "recall": "now"},
        "answers",
    ),
    Write(
        "start plan",
        "post",
        "/api/v1/clients/{client}/plans",
        {"condition": "chronic_lbp", "goals": ["Garden for an hour"], "max_pressure": 2},
        "max_pressure",
    ),
    Write(
        "change plan",
        "post",
        "/api/v1/clients/{client}/plans/{plan}/versions",
        {"change_note": "Gentler", "max_pressure": 2, "combine_with": ["exercise"]},
        "max_pressure",
    ),
    Write(
        "start visit",
        "post",
        "/api/v1/clients/{client}/visits",
        {"nprs": 4, "treatment": [TREATMENT]},
        "treatment",
    ),
    Write(
        "change visit",
        "patch",
        "/api/v1/clients/{client}/visits/{draft}",
        {"assessment": "Easier"},
        "assessment",
    ),
    Write(
        "sign visit",
        "post",
        "/api/v1/clients/{client}/visits/{draft}/sign",
        {"override_reason": "Physician agreed"},
        "override_reason",
    ),
    Write(
        "add addendum",
        "post",
        "/api/v1/clients/{client}/visits/{signed}/addenda",
        {"text": "Phoned: better"},
        "text",
    ),
]


@pytest.fixture
def records(client_record, therapist):
    record_screening(client_record, {}, "intake", therapist)
    plan, version = make_plan(client_record, therapist)
    draft = Visit.objects.create(
        clinic_id=client_record.clinic_id, client=client_record, therapist=therapist,
        plan_version=version, visit_date="2026-11-02",
    )  # fmt: skip
    signed = Visit.objects.create(
        clinic_id=client_record.clinic_id, client=client_record, therapist=therapist,
        plan_version=version, visit_date="2026-11-01",
    )  # fmt: skip
    signed.sign(therapist)
    return {"client": client_record.pk, "plan": plan.pk, "draft": draft.pk, "signed": signed.pk}


def stored() -> list:
    return [list(model.objects.order_by("pk").values()) for model in STORED]


def misspell(name: str) -> str:
    return name[:-1] if len(name) > 4 else name + "x"


@pytest.mark.parametrize("write", WRITES, ids=str)
def test_each_write_accepts_its_sample_body(therapist, records, write):
    """The table's bodies are good ones, so the refusals below are about the one change."""
    response = api_as(therapist)(write.method, write.url.format(**records), write.body)
    assert response.status_code in (200, 201), response.content


@pytest.mark.parametrize("write", WRITES, ids=str)
@pytest.mark.parametrize("mistake", ["unknown field", "misspelled field", "a list for the body"])
def test_a_refused_write_names_the_field_and_stores_nothing(therapist, records, write, mistake):
    call = api_as(therapist)
    if mistake == "unknown field":
        body, field, hint = {**write.body, "colour": "blue"}, "colour", "unknown field"
    elif mistake == "misspelled field":
        body = dict(write.body)
        wrong = misspell(write.field)
        body[wrong] = body.pop(write.field)
        field, hint = wrong, f"did you mean {write.field}?"
    else:
        body, field, hint = [write.body], "body", "send an object with named fields, not a list"
    before, log_before = stored(), AccessLogEntry.objects.count()
    response = call(write.method, write.url.format(**records), body)
    assert response.status_code == 422, response.content
    assert f"{field}: " in response.json()["detail"]
    assert hint in response.json()["detail"]
    assert stored() == before
    assert AccessLogEntry.objects.count() == log_before


def test_the_reported_mistake_is_suggested_in_words(therapist, client_record):
    body = intake_body(medication_class=["anticoagulant"])
    response = api_as(therapist)("post", f"/api/v1/clients/{client_record.pk}/intakes", body)
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "medication_class",
            "message": "unknown field; did you mean medication_classes?",
        }
    ]
    assert not Intake.objects.exists()


def test_an_intake_without_its_red_flags_is_refused_as_the_schema_says(therapist, client_record):
    body = intake_body()
    del body["red_flags"]
    response = api_as(therapist)("post", f"/api/v1/clients/{client_record.pk}/intakes", body)
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "red_flags", "message": "Field required"}]
    properties = ninja_api.get_openapi_schema()["components"]["schemas"]["IntakeIn"]
    assert "red_flags" in properties["required"]


def test_a_misspelled_field_in_a_nested_row_is_named_with_its_row(therapist, records):
    rows = [TREATMENT, {"technique": "swedish", "regoin": "neck", "pressure": 1}]
    url = "/api/v1/clients/{client}/visits".format(**records)
    response = api_as(therapist)("post", url, {"treatment": rows})
    assert response.status_code == 422
    assert "treatment.1.regoin: unknown field; did you mean region?" in response.json()["detail"]


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ("[]", "body", "not a list"),
        ('"age"', "body", "not text"),
        ("7", "body", "not a number"),
        ('{"age": "seventy"}', "age", "send a number, not text"),
        ('{"age": "70"}', "age", "send a number, not text"),
        ('{"pregnancy_week": true}', "pregnancy_week", "send a number, not true or false"),
        ('{"red_flags": {"saddle_anaesthesia": "yes"}}', "red_flags", "send true or false"),
        ('{"conditions": "chronic_lbp"}', "conditions", "valid list"),
    ],
)
def test_wrong_json_types_are_422_naming_the_field(therapist, body, field, words):
    response = api_as(therapist)("post", "/api/v1/screening/evaluate", raw=body)
    assert response.status_code == 422
    assert f"{field}: " in response.json()["detail"] and words in response.json()["detail"]


@pytest.mark.parametrize("number", [2**63, 2**63 - 1 + 10, 0, -1])
def test_a_therapist_id_out_of_range_is_422_not_a_crash(therapist, number):
    body = {"given_names": "M", "family_name": "S", "birth_date": "1960-01-23"}
    response = api_as(therapist)("post", "/api/v1/clients", {**body, "therapists": [number]})
    assert response.status_code == 422
    assert "therapists" in response.json()["detail"]
    assert not Client.objects.exists()


def test_the_largest_id_the_database_holds_is_simply_not_an_option(therapist, client_record):
    url = f"/api/v1/clients/{client_record.pk}"
    response = api_as(therapist)("patch", url, {"therapists": [MAX_ID]})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "therapists"


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/clients/abc",
        "/api/v1/clients/1.5/visits",
        "/api/v1/responses/x/fhir",
        "/api/v1/no",
        "/api/v1/clients/%0A/archive",
    ],
)
def test_an_address_that_is_not_there_is_a_json_404(therapist, url):
    response = HttpClient().get(url, **bearer(therapist))
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "Not found."}


def test_a_huge_id_in_a_path_is_404(therapist):
    response = HttpClient().get(f"/api/v1/clients/{2**64}", **bearer(therapist))
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("taken_at", "stored_as"),
    [
        ("2026-11-20T09:30:00Z", "2026-11-20T09:30:00Z"),
        ("2026-11-20T10:30:00+01:00", "2026-11-20T09:30:00Z"),
        ("2026-11-20T09:30:00.250Z", "2026-11-20T09:30:00.250Z"),
    ],
)
def test_times_are_read_in_their_iso_forms(therapist, client_record, taken_at, stored_as):
    body = {"instrument": "nprs", "answers": {"1": 4}, "recall": "now", "taken_at": taken_at}
    url = f"/api/v1/clients/{client_record.pk}/responses"
    response = api_as(therapist)("post", url, body)
    assert response.status_code == 201, response.content
    assert response.json()["id"]
    assert Response.objects.get().taken_at == datetime.fromisoformat(stored_as)


def test_a_visit_time_with_an_offset_is_the_clinics_wall_clock_time(therapist, records, settings):
    settings.TIME_ZONE = "UTC"
    url = "/api/v1/clients/{client}/visits/{draft}".format(**records)
    response = api_as(therapist)("patch", url, {"start_time": "14:30Z"})
    assert response.status_code == 200, response.content
    assert response.json()["start_time"] == "14:30:00"


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("taken_at", "1899-12-31T10:00:00Z", "before 1900"),
        ("taken_at", "9999-12-31T23:59:59-12:00", "after 2100"),
        ("taken_at", "0001-01-01T00:00:00+14:00", "before 1900"),
        ("taken_at", "2101-01-01T00:00:00Z", "after 2100"),
        ("taken_at", "2099-06-01T10:00:00Z", "cannot be in the future"),
    ],
)
def test_implausible_moments_are_refused_and_nothing_stored(
    therapist, client_record, field, value, words
):
    body = {"instrument": "nprs", "answers": {"1": 4}, "recall": "now", field: value}
    url = f"/api/v1/clients/{client_record.pk}/responses"
    response = api_as(therapist)("post", url, body)
    assert response.status_code == 422, response.content
    assert f"{field}: " in response.json()["detail"] and words in response.json()["detail"]
    assert not Response.objects.exists()


def test_a_refused_draft_leaves_no_visit_behind(therapist, records):
    url = "/api/v1/clients/{client}/visits".format(**records)
    before = Visit.objects.count()
    bad = [{"technique": "swedish", "region": "nowhere", "pressure": 2}]
    response = api_as(therapist)("post", url, {"treatment": bad})
    assert response.status_code == 422
    assert Visit.objects.count() == before


def _models(annotation):
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
        for field in annotation.model_fields.values():
            yield from _models(field.annotation)
    for arg in getattr(annotation, "__args__", ()):
        yield from _models(arg)


def test_every_request_body_derives_from_the_strict_base():
    """A new endpoint (an app's api.py) cannot quietly accept unknown fields."""
    bodies = []
    for _, router in ninja_api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in operation.models:
                    if model.__ninja_param_source__ == "body":
                        bodies += [m for m in _models(model) if m is not model]
    assert len(bodies) >= 14
    lax = sorted({m.__name__ for m in bodies if not issubclass(m, InputSchema)})
    assert lax == []
