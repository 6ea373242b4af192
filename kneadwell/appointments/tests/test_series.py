"""A series from the plan in one step: conflicts shown before saving, the reassessment point
marked where it falls, wall-clock time kept across the March clock change."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from kneadwell.appointments.models import Appointment
from kneadwell.appointments.tests.helpers import at, book
from kneadwell.conftest import logged_in, make_client
from kneadwell.plans.models import Plan

TUESDAY = date(2027, 3, 16)  # the clocks go forward on Sunday 28 March


@pytest.fixture
def plan(client_record, therapist):
    plan = Plan.objects.create(
        clinic_id=client_record.clinic_id,
        client=client_record,
        condition="chronic_lbp",
        template="chronic_lbp_plan",
    )
    plan.versions.create(
        number=1,
        techniques=["swedish"],
        max_pressure=3,
        session_minutes=45,
        sessions_per_week=1,
        planned_sessions=6,
        reassess_after_visits=4,
    )
    return plan


def form(types, therapist, **extra):
    data = {
        "therapist": therapist.pk,
        "appointment_type": types[1].pk,
        "first_day": TUESDAY.isoformat(),
        "weekdays": [1],
        "at": "10:00",
        "count": 6,
    }
    return {**data, **extra}


def test_the_series_shows_conflicts_before_saving_and_books_the_free_ones(
    types, plan, client_record, clinic, therapist, desk
):
    blocker = book(
        make_client(clinic, therapist), therapist, types[0], at(TUESDAY + timedelta(7), 9, 30)
    )
    browser = logged_in(desk)
    url = reverse("appointments:series", args=[client_record.pk, plan.pk])
    preview = browser.post(url, form(types, therapist, preview=1))
    proposals = preview.context["proposals"]
    assert [p.starts.strftime("%m-%d %H:%M") for p in proposals] == [
        "03-16 10:00",
        "03-23 10:00",
        "03-30 10:00",
        "04-06 10:00",
        "04-13 10:00",
        "04-20 10:00",
    ]
    assert [bool(p.conflict) for p in proposals] == [False, True, False, False, False, False]
    assert "already has an appointment" in proposals[1].conflict
    assert [p.reassessment_due for p in proposals] == [False, False, False, True, False, False]
    assert Appointment.objects.count() == 1  # nothing saved yet
    assert "Not booked" in preview.content.decode()

    browser.post(url, form(types, therapist, confirm=1))
    series = Appointment.objects.exclude(pk=blocker.pk)
    assert series.count() == 5
    assert {a.plan_id for a in series} == {plan.pk}
    assert len({a.series for a in series}) == 1


def test_a_series_keeps_10_oclock_on_the_clinics_clocks_across_the_change(
    types, plan, client_record, therapist, desk
):
    url = reverse("appointments:series", args=[client_record.pk, plan.pk])
    logged_in(desk).post(url, form(types, therapist, confirm=1, count=3))
    starts = list(Appointment.objects.order_by("starts_at").values_list("starts_at", flat=True))
    assert [s.hour for s in starts] == [10, 10, 9]  # in UTC: GMT, GMT, then BST
    assert [s.astimezone(at(TUESDAY, 0).tzinfo).hour for s in starts] == [10, 10, 10]


def test_the_reassessment_point_counts_sessions_already_booked(
    types, plan, client_record, therapist, desk
):
    for week in range(2):
        book(
            client_record,
            therapist,
            types[1],
            at(TUESDAY - timedelta(weeks=2 - week), 10),
            plan=plan,
        )
    url = reverse("appointments:series", args=[client_record.pk, plan.pk])
    response = logged_in(desk).post(url, form(types, therapist, preview=1, count=4))
    assert [p.reassessment_due for p in response.context["proposals"]] == [
        False,
        True,
        False,
        False,
    ]


def test_the_series_form_starts_from_the_plan(types, plan, client_record, desk):
    response = logged_in(desk).get(reverse("appointments:series", args=[client_record.pk, plan.pk]))
    initial = response.context["form"].initial
    assert initial["count"] == 6 and len(initial["weekdays"]) == 1
    page = response.content.decode()
    assert "1 session a week, 6 sessions in all; reassessment after 4 visits" in page
    assert "chronic" not in page.lower()  # the condition is clinical: not for the desk
