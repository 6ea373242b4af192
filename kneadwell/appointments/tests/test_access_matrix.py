"""Every page and API route of the calendar, as each person in ROLES (kneadwell/conftest.py)."""

import pytest
from django.urls import reverse

from kneadwell.conftest import MEMBER_PAGE, OWNER_PAGE, Route, check_access
from kneadwell.reports.tests.progress_helpers import make_plan

# The appointment is with `therapist`, for the client they treat; `colleague` neither.
APPOINTMENT_PAGE = (302, 404, 404, 200, 200, 200)
OWNER_RECORD = (302, 404, 403, 403, 403, 200)


def url(name, *args):
    return lambda a: reverse(name, args=[getattr(a, x) if isinstance(x, str) else x for x in args])


ROUTES = [
    Route("day", lambda a: reverse("appointments:day"), MEMBER_PAGE),
    Route(
        "day of a therapist",
        lambda a: reverse("appointments:day") + f"?therapist={a.therapist_id}",
        (302, 404, 200, 200, 200, 200),
    ),
    Route("week", lambda a: reverse("appointments:week") + "?date=2027-03-01", MEMBER_PAGE),
    Route("book", lambda a: reverse("appointments:book"), MEMBER_PAGE),
    Route("feed page", lambda a: reverse("appointments:feed"), MEMBER_PAGE),
    Route("detail", url("appointments:detail", "pk"), APPOINTMENT_PAGE),
    Route("move", url("appointments:move", "pk"), APPOINTMENT_PAGE),
    Route(
        "cancel without a reason",
        url("appointments:cancel", "pk"),
        (302, 404, 404, 422, 422, 422),
        method="post",
        body={"reason": ""},
    ),
    Route(
        "mark arrived",
        url("appointments:mark", "pk"),
        (302, 404, 404, 302, 302, 302),
        method="post",
        body={"status": "arrived"},
    ),
    Route(
        "note from the appointment",
        url("visits:from_appointment", "pk"),
        (302, 404, 404, 403, 302, 302),
        method="post",
    ),
    Route(
        "series from the plan",
        lambda a: reverse("appointments:series", args=[a.client_id, a.plan_id]),
        APPOINTMENT_PAGE,
    ),
    Route("set-up", lambda a: reverse("appointments:setup"), OWNER_PAGE),
    Route("add a type", lambda a: reverse("appointments:type_add"), OWNER_PAGE),
    Route("add a room", lambda a: reverse("appointments:room_add"), OWNER_PAGE),
    Route("change a type", url("appointments:type_edit", "appointment_type_id"), OWNER_RECORD),
    Route("hours", url("appointments:hours", "therapist_id"), OWNER_RECORD),
    Route(
        "add time off (empty)",
        url("appointments:time_off_add", "therapist_id"),
        (302, 404, 403, 403, 403, 422),
        method="post",
    ),
    Route("api: list", lambda a: "/api/v1/appointments", (401, 200, 200, 200, 200, 200), api=True),
    Route(
        "api: one",
        lambda a: f"/api/v1/appointments/{a.pk}",
        (401, 404, 404, 200, 200, 200),
        api=True,
    ),
    # Front desk cancels; for the next people it is cancelled already (409).
    Route(
        "api: cancel",
        lambda a: f"/api/v1/appointments/{a.pk}/cancel",
        (401, 404, 404, 200, 409, 409),
        method="post",
        body={"reason": "Called"},
        api=True,
    ),
    Route(
        "api: types",
        lambda a: "/api/v1/appointment-types",
        (401, 200, 200, 200, 200, 200),
        api=True,
    ),
    Route(
        "api: availability",
        lambda a: (
            f"/api/v1/availability?therapist={a.therapist_id}"
            f"&type={a.appointment_type_id}&since=2027-03-01&until=2027-03-07"
        ),
        (401, 422, 200, 200, 200, 200),
        api=True,
    ),
]


@pytest.fixture
def planned(appointment, therapist):
    plan, _ = make_plan(appointment.client, therapist)
    appointment.plan = plan
    appointment.save(update_fields=["plan"])
    return appointment


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_access(people, planned, route):
    check_access(people, route, planned)
