"""The visit note form: dates that cannot be true and lengths out of range are refused."""

import pytest
import time_machine

from kneadwell.conftest import api_as
from kneadwell.screening.enforce import record_screening
from kneadwell.visits.forms import AdverseFormSet, TreatmentFormSet, VisitForm
from kneadwell.visits.models import Visit


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel("2026-11-23 15:00", tick=False):
        yield


@pytest.fixture
def visit(client_record, therapist):
    return Visit.objects.create(
        clinic_id=client_record.clinic_id, client=client_record, therapist=therapist
    )


def _errors(visit, **data):
    form = VisitForm({"visit_date": "2026-11-23", **data}, instance=visit)
    form.is_valid()
    return form.errors


def test_a_visit_today_is_fine(visit):
    assert _errors(visit) == {}


def test_a_visit_in_the_future_is_refused(visit):
    errors = _errors(visit, visit_date="2030-01-01")
    assert errors["visit_date"] == ["The visit date cannot be in the future (today is 2026-11-23)."]


def test_a_visit_before_the_client_was_born_is_refused(visit):
    # The client was born on 1965-12-10.
    errors = _errors(visit, visit_date="1965-01-01")
    assert "before the client's date of birth (1965-12-10)" in errors["visit_date"][0]


@pytest.mark.parametrize("minutes", ["0", "301", "4000"])
def test_a_session_length_out_of_range_is_refused(visit, minutes):
    errors = _errors(visit, duration_minutes=minutes)
    assert errors["duration_minutes"] == ["Enter the session length in minutes, from 1 to 300."]


def test_an_action_over_its_limit_is_refused_naming_the_limit():
    data = {
        "ae-TOTAL_FORMS": "1",
        "ae-INITIAL_FORMS": "0",
        "ae-0-kind": "soreness",
        "ae-0-action": "x" * 301,
    }
    adverse = AdverseFormSet(data, prefix="ae")
    assert not adverse.is_valid()
    assert "at most 300 characters long; it has 301" in adverse.errors[0]["action"][0]


def test_more_treatment_rows_than_allowed_say_so_plainly():
    data = {"t-TOTAL_FORMS": "21", "t-INITIAL_FORMS": "0"}
    treatment = TreatmentFormSet(data, prefix="t")
    assert not treatment.is_valid()
    assert treatment.non_form_errors() == ["There can be at most 20 rows here."]


def test_the_api_refuses_a_future_visit_the_same_way(client_record, therapist):
    record_screening(client_record, {}, "intake", therapist)
    call = api_as(therapist)
    response = call(
        "post", f"/api/v1/clients/{client_record.pk}/visits", {"visit_date": "2030-01-01"}
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "visit_date",
            "message": "The visit date cannot be in the future (today is 2026-11-23).",
        }
    ]
    assert not Visit.objects.filter(visit_date="2030-01-01").exists()
