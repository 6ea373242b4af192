"""Where a course stands today: completed, dropped out (from the clinic's weeks without a
visit, counted to the day) or ongoing."""

from datetime import date, timedelta

import pytest

from kneadwell.analytics.models import Course, OutcomeSettings
from kneadwell.analytics.refresh import refresh
from kneadwell.analytics.tests.helpers import course

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 1)


@pytest.mark.parametrize(
    ("days_since_last_visit", "closed", "status"),
    [
        (55, False, "ongoing"),
        (56, False, "dropped_out"),
        (400, False, "dropped_out"),
        (400, True, "completed"),
        (0, True, "completed"),
    ],
)
def test_status_counts_eight_weeks_to_the_day(
    clinic, therapist, days_since_last_visit, closed, status
):
    plan = course(
        clinic,
        therapist,
        start=TODAY - timedelta(days=days_since_last_visit),
        sessions=1,
        discharged=closed,
    )
    refresh(clinic.pk)
    found = Course.objects.with_status(TODAY, 8).get(plan=plan)
    assert found.status == status


def test_settings_default_until_an_owner_changes_them(clinic):
    defaults = OutcomeSettings.for_clinic(clinic.pk)
    assert (defaults.dropout_weeks, defaults.min_group, defaults.pk) == (8, 10, None)
    OutcomeSettings.objects.create(clinic=clinic, dropout_weeks=12, min_group=20)
    assert OutcomeSettings.for_clinic(clinic.pk).min_group == 20
