"""The answer to "how many sessions will I need?" on the plan page: the clinic's own figures
for similar clients when there are enough of them, otherwise the evidence statement with its
certainty; worded without promise or cure (FACTS §2)."""

import re
from datetime import timedelta

import pytest
from django.urls import resolve

from kneadwell.analytics import outlook as outlook_module
from kneadwell.analytics import views
from kneadwell.analytics.models import OutcomeSettings
from kneadwell.analytics.outlook import CAVEAT, for_plan
from kneadwell.analytics.tests.helpers import START, course, improving
from kneadwell.audit.models import AccessLogEntry
from kneadwell.conftest import ROLES, logged_in

pytestmark = pytest.mark.django_db
# Words that would promise an outcome or claim a cure; none may appear in the answer.
FORBIDDEN = re.compile(
    r"\b(cure[sd]?|heal[s]?|fix(es|ed)?|guarantee[sd]?|will improve|you will)\b", re.I
)


@pytest.fixture
def plan(clinic, therapist):
    """The client asking: a new course for chronic LBP with an RMDQ baseline of 14."""
    return course(clinic, therapist, sessions=1, scores={1: 14})


def words(page: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def test_the_plan_page_is_composed_by_analytics(plan):
    assert resolve(plan.get_absolute_url()).func is views.plan_detail


def test_the_plan_page_keeps_its_access_rules(people, plan):
    from django.test import Client

    found = [
        (logged_in(people[role]) if people[role] else Client()).get(plan.get_absolute_url())
        for role in ROLES
    ]
    assert [r.status_code for r in found] == [302, 404, 404, 403, 200, 200]
    assert AccessLogEntry.objects.filter(action="view", what="treatment plan").count() == 2


def test_enough_similar_courses_give_the_clinics_answer(clinic, therapist, plan):
    improving(clinic, therapist, 6, by=3)
    improving(clinic, therapist, 4, by=6)
    page = words(logged_in(therapist).get(plan.get_absolute_url()).content.decode())
    assert (
        "At this clinic, of 10 clients with chronic low back pain who started with a similar "
        "RMDQ-24 score, half had a meaningful improvement by session 3 (a quarter by session 3, "
        "three quarters by session 6)."
    ) in page
    assert "Meaningful: an improvement of at least 5 points or 30% of the starting score" in page
    assert CAVEAT in page
    assert not FORBIDDEN.search(page.split("How many sessions?")[1])


def test_the_clients_own_course_is_not_counted(clinic, therapist, plan):
    improving(clinic, therapist, 9)
    course(clinic, therapist, client=plan.client, condition="chronic_lbp", scores={1: 14, 2: 8})
    found = for_plan(plan)
    assert found.kind == "evidence"  # nine others; the client's own earlier course is left out


def test_each_client_counts_once_by_their_first_course(clinic, therapist, plan):
    first = improving(clinic, therapist, 9)
    # A second course for the same condition, months later: the client still counts once.
    improving(clinic, therapist, 1, client=first[0].client, start=START + timedelta(weeks=30))
    assert for_plan(plan).kind == "evidence"
    improving(clinic, therapist, 1)
    assert for_plan(plan).n == 10


def test_too_few_similar_courses_give_the_evidence_with_its_certainty(clinic, therapist, plan):
    improving(clinic, therapist, 9)
    page = words(logged_in(therapist).get(plan.get_absolute_url()).content.decode())
    assert "Not enough similar courses at this clinic yet" in page
    assert "Massage may ease pain and stiffness for a few weeks to months." in page
    assert "How sure the research is: low." in page
    assert "At this clinic, of" not in page


def test_without_enough_in_the_band_it_pools_every_baseline(clinic, therapist, plan):
    # Ten courses that started mild (RMDQ 6: lower third), none in the client's middle third.
    for _ in range(10):
        course(clinic, therapist, scores={1: 6, 3: 1})
    found = for_plan(plan)
    assert (found.kind, found.band, found.n) == ("clinic", "", 10)
    assert "who had a RMDQ-24 score at the start" in found.for_staff[0]


def test_when_fewer_than_half_improve_it_says_so(clinic, therapist, plan):
    improving(clinic, therapist, 3, by=4)
    for _ in range(7):
        course(clinic, therapist, scores={1: 14, 5: 13})
    found = for_plan(plan)
    assert found.median.estimate is None
    assert (
        "fewer than half had a meaningful improvement during their course (about 30% by "
        "session 4)" in found.for_staff[0]
    )


def test_the_clinic_minimum_applies(clinic, therapist, plan):
    improving(clinic, therapist, 6)
    assert for_plan(plan).kind == "evidence"
    OutcomeSettings.objects.create(clinic=clinic, min_group=5)
    assert for_plan(plan).kind == "clinic"


def test_the_client_wording_has_no_jargon_promise_or_cure(clinic, therapist, plan):
    improving(clinic, therapist, 10)
    sentences = for_plan(plan).for_client
    text = " ".join(sentences)
    assert sentences[-1] == CAVEAT and "not a promise" in text
    assert "CI" not in text and "Kaplan" not in text
    assert not FORBIDDEN.search(text)


def test_a_condition_whose_evidence_is_ungraded_says_so(clinic, therapist):
    plan = course(clinic, therapist, condition="lss_with_nc", sessions=1)
    page = words(logged_in(therapist).get(plan.get_absolute_url()).content.decode())
    assert "Massage on its own has not been shown to treat spinal stenosis." in page
    assert "How sure the research is: not graded" in page


def test_a_plan_without_a_change_measure_gets_the_evidence(clinic, therapist):
    plan = course(clinic, therapist, sessions=1, measures={"baseline": ["startback"]})
    found = for_plan(plan)
    assert (found.kind, found.measure) == ("evidence", "")
    assert found.evidence.id == "chronic_lbp_massage_short_term"


def test_the_evidence_prefers_a_statement_about_massage():
    assert outlook_module.evidence_statement("lss_with_nc").intervention == "massage"
    assert outlook_module.evidence_statement("no_such_condition") is None
