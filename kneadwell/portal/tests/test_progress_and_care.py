"""My progress (scores in plain words and the same charts) and my care (plan, home advice,
handouts; the appointments and shared-letters hooks)."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kneadwell.measures.models import Response
from kneadwell.portal import progress
from kneadwell.portal.tests.conftest import portal_browser
from kneadwell.portal.tests.helpers import fill_intake
from kneadwell.reports.tests.progress_helpers import make_plan, sign_visits
from kneadwell.visits.models import Visit

pytestmark = pytest.mark.django_db


def nprs(client, value, days_ago):
    when = timezone.now() - timedelta(days=days_ago)
    return Response.record(client, "nprs", {"1": value}, recall="now", taken_at=when)


def test_progress_says_what_changed_and_what_people_usually_notice(account):
    nprs(account.client, 8, 30)
    nprs(account.client, 3, 1)
    page = portal_browser(account).get(reverse("portal:progress")).content.decode()
    assert "went from 8 to 3" in page
    assert "A change of 2 points or more is one people usually notice." in page
    assert "for the better" in page
    assert "<svg" in page and "<table" in page  # the chart, and its numbers for screen readers


def test_a_small_change_is_not_called_an_improvement(account):
    nprs(account.client, 6, 30)
    nprs(account.client, 5, 1)
    page = portal_browser(account).get(reverse("portal:progress")).content.decode()
    assert "went from 6 to 5" in page
    assert "may not be a real change yet" in page
    assert "for the better" not in page


def test_one_answer_has_nothing_to_compare(account):
    nprs(account.client, 6, 1)
    courses = progress.for_client(account.client)
    assert "nothing to compare yet" in " ".join(courses[0].sentences)


def test_progress_shows_the_clinics_outlook_for_the_plan(account, therapist):
    make_plan(account.client, therapist)
    page = portal_browser(account).get(reverse("portal:progress")).content.decode()
    assert "How many sessions?" in page


def test_care_shows_the_plan_home_advice_and_the_handouts(account, therapist):
    browser = portal_browser(account)
    fill_intake(browser, conditions=["chronic_lbp"])
    _, version = make_plan(account.client, therapist)
    visit = sign_visits(account.client, therapist, version, [date.today()])[0]
    Visit.objects.filter(pk=visit.pk).update(home_advice="Walk 20 minutes a day")
    page = browser.get(reverse("portal:care")).content.decode()
    assert "Garden for an hour" in page  # the plan's goal
    assert "Walk 20 minutes a day" in page
    assert "Massage for long-term low back pain" in page  # the condition's handout
    assert "Your next visits" not in page  # no appointments booked
