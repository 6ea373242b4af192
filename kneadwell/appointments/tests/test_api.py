"""The appointments API: list (paginated), book, move, cancel, types, availability."""

from datetime import timedelta

from kneadwell.api.tests.test_pages import walk
from kneadwell.appointments.models import Appointment, Status
from kneadwell.appointments.tests.helpers import MONDAY, at, book
from kneadwell.conftest import api_as


def body(client_record, therapist, types, **extra):
    return {
        "client": client_record.pk,
        "therapist": therapist.pk,
        "type": types[1].pk,
        "starts_at": "2027-03-01T11:00:00+00:00",
        **extra,
    }


def test_book_move_and_cancel(types, client_record, therapist, desk):
    call = api_as(desk)
    response = call("post", "/api/v1/appointments", body(client_record, therapist, types))
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["ends_at"].startswith("2027-03-01T11:45")
    pk = data["id"]
    moved = call("post", f"/api/v1/appointments/{pk}/move", {"starts_at": "2027-03-02T09:00:00Z"})
    assert moved.status_code == 200 and moved.json()["ends_at"].startswith("2027-03-02T09:45")
    cancelled = call("post", f"/api/v1/appointments/{pk}/cancel", {"reason": "Called"})
    assert cancelled.json()["status"] == Status.CANCELLED
    assert cancelled.json()["cancelled_late"] is False


def test_a_clash_is_409_and_outside_hours_a_422_naming_the_field(
    appointment, types, client_record, therapist, desk
):
    call = api_as(desk)
    clash = call(
        "post",
        "/api/v1/appointments",
        body(client_record, therapist, types, starts_at="2027-03-01T10:15:00Z"),
    )
    assert clash.status_code == 409
    assert "already has an appointment" in clash.json()["detail"]
    late = call(
        "post",
        "/api/v1/appointments",
        body(client_record, therapist, types, starts_at="2027-03-01T19:00:00Z"),
    )
    assert late.status_code == 422
    assert late.json()["errors"][0]["field"] == "starts_at"
    reason = call(
        "post",
        "/api/v1/appointments",
        body(
            client_record,
            therapist,
            types,
            starts_at="2027-03-01T19:00:00Z",
            outside_hours_reason="Evening only",
        ),
    )
    assert reason.status_code == 422
    assert reason.json()["errors"][0]["field"] == "outside_hours_reason"


def test_unknown_fields_and_naive_times_are_refused(types, client_record, therapist, desk):
    call = api_as(desk)
    extra = call("post", "/api/v1/appointments", body(client_record, therapist, types, note="x"))
    assert extra.status_code == 422 and "note" in extra.json()["detail"]
    naive = call(
        "post",
        "/api/v1/appointments",
        body(client_record, therapist, types, starts_at="2027-03-01T11:00:00"),
    )
    assert naive.status_code == 422 and naive.json()["errors"][0]["field"] == "starts_at"
    assert Appointment.objects.count() == 0


def test_the_list_is_paginated_and_filtered(appointment, types, client_record, therapist, desk):
    listed = api_as(desk)("get", "/api/v1/appointments?since=2027-03-01&until=2027-03-01").json()
    assert len(listed["items"]) == 1 and listed["items"][0]["id"] == appointment.pk
    assert listed["next"] is None
    assert api_as(desk)("get", "/api/v1/appointments?since=2027-03-02").json()["items"] == []


def test_availability_lists_free_starts_around_the_booking(appointment, types, therapist, desk):
    url = (
        f"/api/v1/availability?therapist={therapist.pk}&type={types[1].pk}"
        "&since=2027-03-01&until=2027-03-01"
    )
    slots = [s["starts_at"][11:16] for s in api_as(desk)("get", url).json()]
    # 09:00-12:30 and 13:00-17:00 London (GMT in March), 45 minutes, booked 10:00-10:45.
    assert slots[:2] == ["09:00", "09:15"] and "09:30" not in slots and "10:45" in slots
    assert "12:00" not in slots and "13:00" in slots and slots[-1] == "16:15"
    too_long = url.replace("until=2027-03-01", "until=2027-06-01")
    assert api_as(desk)("get", too_long).status_code == 422


def test_types_lists_the_clinics_offered_types(types, desk):
    names = [t["name"] for t in api_as(desk)("get", "/api/v1/appointment-types").json()]
    assert names == ["Follow-up", "Initial assessment"]


def test_dates_the_calendar_cannot_hold_are_a_422_not_a_500(types, therapist, desk):
    call = api_as(desk)
    far = call("get", "/api/v1/appointments?until=9999-12-31")
    assert far.status_code == 422 and far.json()["errors"][0]["field"] == "until"
    url = f"/api/v1/availability?therapist={therapist.pk}&type={types[1].pk}"
    slots = call("get", url + "&since=9999-12-30&until=9999-12-31")
    assert slots.status_code == 422


def test_the_list_comes_by_time_a_page_at_a_time(types, client_record, therapist, desk):
    booked = [
        book(client_record, therapist, types[1], at(MONDAY + timedelta(days=d), 10), by=desk).pk
        for d in (3, 0, 2, 1)
    ]
    expected = list(Appointment.objects.order_by("starts_at", "id").values_list("pk", flat=True))
    assert sorted(expected) == sorted(booked)
    assert walk(api_as(desk), "/api/v1/appointments", 3) == expected
    assert walk(api_as(desk), "/api/v1/appointments", 1) == expected


def test_ids_past_the_database_range_are_a_422_not_a_500(types, desk):
    call = api_as(desk)
    huge = 2**100
    listed = call("get", f"/api/v1/appointments?therapist={huge}")
    assert listed.status_code == 422 and "therapist" in listed.json()["detail"]
    slots = call(
        "get", f"/api/v1/availability?therapist={huge}&type=1&since=2027-03-01&until=2027-03-02"
    )
    assert slots.status_code == 422 and "therapist" in slots.json()["detail"]
