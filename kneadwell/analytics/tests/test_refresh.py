"""The course summary follows the records: a note signed, a score recorded or a plan closed
shows on the next page view, without visits or plans calling analytics."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from kneadwell.analytics import refresh as refresh_module
from kneadwell.analytics.models import Course, CourseMeasure, RefreshState
from kneadwell.analytics.refresh import rebuild, refresh
from kneadwell.analytics.tests.helpers import START, at, course
from kneadwell.conftest import logged_in
from kneadwell.measures.models import Response
from kneadwell.plans.models import Discharge
from kneadwell.visits.models import Visit, VisitStatus

pytestmark = pytest.mark.django_db
LATER = timezone.now() + timedelta(hours=1)


def test_the_first_refresh_builds_every_course(clinic, therapist):
    plans = [course(clinic, therapist, scores={1: 14, 3: 8}) for _ in range(3)]
    assert refresh(clinic.pk) == 3
    assert set(Course.objects.values_list("plan_id", flat=True)) == {p.pk for p in plans}
    assert CourseMeasure.objects.get(course_id=plans[0].pk, instrument="rmdq").time == 3


def test_nothing_changed_means_nothing_recomputed(clinic, therapist):
    course(clinic, therapist)
    refresh(clinic.pk)
    with time_machine.travel(LATER):
        assert refresh(clinic.pk) == 0
    assert refresh(clinic.pk) == 0  # also right away: the rows just saved were all seen


def test_signing_a_note_shows_on_the_next_page_view(clinic, owner, therapist):
    plan = course(clinic, therapist, sessions=3)
    logged_in(owner).get(reverse("analytics:outcomes"))
    assert Course.objects.get(plan=plan).sessions == 3
    with time_machine.travel(LATER):
        draft = Visit.objects.create(
            clinic=clinic,
            client=plan.client,
            therapist=therapist,
            plan_version=plan.current(),
            visit_date=START + timedelta(weeks=3),
        )
        logged_in(owner).get(reverse("analytics:outcomes"))
        assert Course.objects.get(plan=plan).sessions == 3  # a draft is not a session
    with time_machine.travel(LATER + timedelta(hours=1)):
        draft.sign(therapist)
        # A fresh sign-in: the idle logout would end a session left for an hour.
        assert logged_in(owner).get(reverse("analytics:outcomes")).status_code == 200
    assert Course.objects.get(plan=plan).sessions == 4


def test_closing_a_plan_shows_on_the_next_page_view(clinic, owner, therapist):
    plan = course(clinic, therapist, sessions=4)
    logged_in(owner).get(reverse("analytics:outcomes"))
    assert not Course.objects.get(plan=plan).closed
    last_visit = START + timedelta(weeks=3)
    with time_machine.travel(LATER):
        Discharge.record(plan.client, therapist, {"measures": []}, "Done.", when=at(last_visit, 18))
        assert logged_in(owner).get(reverse("analytics:outcomes")).status_code == 200
    found = Course.objects.with_status(timezone.localdate(), 8).get(plan=plan)
    assert (found.closed, found.ended_on, found.status) == (True, last_visit, "completed")


def test_a_new_score_changes_the_reading(clinic, therapist):
    plan = course(clinic, therapist, scores={1: 14, 2: 13})
    refresh(clinic.pk)
    assert not CourseMeasure.objects.get(course_id=plan.pk, instrument="rmdq").event
    with time_machine.travel(LATER):
        Response.record(
            plan.client,
            "rmdq",
            {str(n): int(n <= 7) for n in range(1, 25)},
            taken_at=at(START + timedelta(weeks=4)),
        )
        refresh(clinic.pk)
    found = CourseMeasure.objects.get(course_id=plan.pk, instrument="rmdq")
    assert (found.event, found.time, found.final) == (True, 5, 7)


def test_a_late_commit_inside_the_overlap_is_still_seen(clinic, therapist):
    plan = course(clinic, therapist, scores={1: 14})
    refresh(clinic.pk)
    state = RefreshState.objects.get(clinic=clinic)
    # A score saved a minute before the refresh, but committed after it.
    response = Response.record(
        plan.client,
        "rmdq",
        {str(n): int(n <= 6) for n in range(1, 25)},
        taken_at=at(START + timedelta(weeks=2)),
    )
    Response.objects.filter(pk=response.pk).update(
        created_at=state.refreshed_at - timedelta(minutes=1)
    )
    refresh(clinic.pk)
    assert CourseMeasure.objects.get(course_id=plan.pk, instrument="rmdq").event


def test_erasing_a_client_removes_their_courses(clinic, therapist):
    plan = course(clinic, therapist)
    refresh(clinic.pk)
    plan.client.delete()
    assert not Course.objects.exists() and not CourseMeasure.objects.exists()


def test_new_rules_rebuild_the_clinic(clinic, therapist, monkeypatch):
    course(clinic, therapist)
    course(clinic, therapist)
    refresh(clinic.pk)
    with time_machine.travel(LATER):
        refresh(clinic.pk)
        monkeypatch.setattr(refresh_module, "rules_fingerprint", lambda: "other rules")
        assert refresh(clinic.pk) == 2


def test_rebuild_recomputes_records_written_behind_its_back(clinic, therapist):
    plan = course(clinic, therapist, sessions=2)
    refresh(clinic.pk)
    with time_machine.travel(LATER):
        refresh(clinic.pk)
    # A bulk change that keeps the old timestamps is not seen by the incremental refresh.
    Visit.objects.filter(client=plan.client).update(status=VisitStatus.DRAFT)
    with time_machine.travel(LATER + timedelta(hours=1)):
        refresh(clinic.pk)
        assert Course.objects.get(plan=plan).sessions == 2
        rebuild(clinic.pk)
    assert Course.objects.get(plan=plan).sessions == 0


def test_each_clinic_is_refreshed_on_its_own(clinic, therapist, outsider):
    course(clinic, therapist)
    refresh(outsider.membership.clinic_id)
    assert not Course.objects.exists()


# --- The page's figures follow each kind of change (issue 17 item 5) ----------------------------


def _report(user):
    response = logged_in(user).get(reverse("analytics:outcomes"))
    assert response.status_code == 200
    return response.context["report"]


def test_a_signed_note_counts_on_the_page_at_once(clinic, owner, therapist):
    plan = course(clinic, therapist, sessions=3)
    assert _report(owner).summary["visits"] == 3
    with time_machine.travel(LATER):
        draft = Visit.objects.create(
            clinic=clinic,
            client=plan.client,
            therapist=therapist,
            plan_version=plan.current(),
            visit_date=START + timedelta(weeks=3),
        )
        assert _report(owner).summary["visits"] == 3  # a draft is not a session
        draft.sign(therapist)
        assert _report(owner).summary["visits"] == 4


def test_an_addendum_leaves_the_figures_and_recomputes_nothing(clinic, owner, therapist):
    plan = course(clinic, therapist, sessions=3, scores={1: 14, 3: 8})
    before = _report(owner)
    signed = Visit.objects.filter(client=plan.client).first()
    with time_machine.travel(LATER):
        response = logged_in(therapist).post(
            reverse("visits:addendum", args=[plan.client.pk, signed.pk]),
            {"text": "Pressure was 2, not 3."},
        )
        assert response.status_code == 302 and signed.addenda.count() == 1
        assert refresh(clinic.pk) == 0
        after = _report(owner)
    assert after.summary == before.summary
    assert (
        after.table("sessions_to_improvement").rows == before.table("sessions_to_improvement").rows
    )


def test_a_discharge_moves_the_course_to_completed_on_the_page(clinic, owner, therapist):
    start = timezone.localdate() - timedelta(weeks=4)
    plan = course(clinic, therapist, sessions=4, start=start)
    assert _report(owner).summary["ended"] == 0  # ongoing: the last visit was a week ago
    with time_machine.travel(LATER):
        Discharge.record(
            plan.client, therapist, {"measures": []}, "Done.", when=at(start + timedelta(weeks=3))
        )
        report = _report(owner)
    assert report.summary["ended"] == 1
    assert Course.objects.get(plan=plan).ended_on == start + timedelta(weeks=3)
    assert report.figure("courses").table.rows[-1][:2] == ["All courses started", 1]


def test_a_follow_up_score_brings_the_course_into_the_curve(clinic, owner, therapist):
    plan = course(clinic, therapist, sessions=4, scores={1: 14})
    assert _report(owner).summary["curve_n"] == 0  # a baseline without a follow-up
    with time_machine.travel(LATER):
        Response.record(
            plan.client,
            "rmdq",
            {str(n): int(n <= 8) for n in range(1, 25)},
            taken_at=at(START + timedelta(weeks=3)),
        )
        assert _report(owner).summary["curve_n"] == 1
    found = CourseMeasure.objects.get(course_id=plan.pk, instrument="rmdq")
    assert (found.event, found.time, found.final) == (True, 4, 8)


def test_a_row_stamped_ahead_of_the_clock_waits_for_its_time(clinic, therapist):
    plan = course(clinic, therapist, sessions=2)
    refresh(clinic.pk)
    ahead = timezone.now() + timedelta(hours=3)
    Visit.objects.filter(client=plan.client).update(updated_at=ahead)
    refresh(clinic.pk)  # the visits left the window counted at the last refresh: looked at again
    assert refresh(clinic.pk) == 0  # but not recomputed on every view until their time
    assert refresh(clinic.pk) == 0
    with time_machine.travel(ahead + timedelta(minutes=1)):
        assert refresh(clinic.pk) == 1  # seen once its time has come
        assert refresh(clinic.pk) == 0
