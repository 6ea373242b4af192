"""The Demo Clinic's synthetic history: deterministic, clearly synthetic, and enough of it that
every figure on the outcomes page has something to show."""

import random
from datetime import date

import pytest
import time_machine
from django.urls import reverse

from kneadwell.accounts.models import Clinic, User
from kneadwell.analytics.models import Course, CourseMeasure
from kneadwell.conftest import logged_in, make_member
from kneadwell.demo import outcomes as demo
from kneadwell.demo.clinic import create_demo
from kneadwell.plans.models import Plan

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 1)


def history(name: str):
    clinic = Clinic.objects.create(name=name)
    for n in range(2):
        make_member(clinic, f"t{n}@{name.lower()}.test", "therapist")
    demo.populate(clinic, random.Random(20261123), today=TODAY)
    courses = Course.objects.filter(clinic=clinic).order_by("started_on", "condition", "sessions")
    return [
        (c.condition, c.started_on, c.sessions, c.closed, c.last_activity_on) for c in courses
    ], sorted(
        CourseMeasure.objects.filter(course__clinic=clinic).values_list(
            "instrument", "scale", "baseline", "final", "event", "time"
        ),
        key=repr,
    )


def test_the_same_seed_gives_the_same_history():
    assert history("One") == history("Two")


def test_it_is_a_few_hundred_mostly_finished_courses_of_synthetic_people():
    courses, _ = history("Three")
    assert len(courses) == demo.COURSES
    finished = [c for c in courses if c[3]]
    assert len(finished) >= 200
    starts = [c[1] for c in courses]
    assert (TODAY - min(starts)).days > 650 and max(starts) < TODAY
    assert {c[0] for c in courses} == {c for c, _, _ in demo.CONDITIONS}
    # Its people are named as synthetic and kept out of the working client list.
    plans = Plan.objects.filter(clinic__name="Three").select_related("client")
    assert all(p.client.given_names == "Synthetic" and p.client.is_archived for p in plans)


def test_every_figure_on_the_demo_outcomes_page_has_something_to_show():
    with time_machine.travel("2026-11-05 10:00"):
        create_demo()
        owner = User.objects.get(email="owner@demo.kneadwell.test")
        response = logged_in(owner).get(reverse("analytics:outcomes"))
    report = response.context["report"]
    assert [f.key for f in report.figures if not f.shown] == []
    assert all(f.svg for f in report.figures if f.key != "mean_change")
    assert report.figure("sessions").quantiles[1].estimate is not None
    statuses = {row[0]: row[1] for row in report.figure("courses").table.rows}
    assert all(statuses[s] > 0 for s in ("Completed (discharged)", "Dropped out", "Ongoing"))
    completeness = report.figure("completeness").table.rows[1]
    assert 0.8 < completeness[2] < 1  # some courses lack a follow-up, as real ones do
