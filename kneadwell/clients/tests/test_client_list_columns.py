"""The client list's columns from above clients (composed by reports): last visit and the safety
badge, whose reasons only clinical staff see."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kneadwell.conftest import logged_in, make_client
from kneadwell.screening.enforce import record_intake
from kneadwell.screening.findings import (
    LIMITS_APPLY,
    NEEDS_CLEARANCE,
    NOT_SCREENED,
    safety_badges,
)
from kneadwell.screening.models import Clearance
from kneadwell.visits.models import Visit


@pytest.fixture
def flagged(clinic, therapist, desk):
    """Ada needs clearance, Bea has limits, Cy a cleared block with limits left, Di nothing,
    Ed no intake."""
    people = {}
    for given, answers in [
        ("Ada", {"red_flags": {"ces_bladder": True}}),
        ("Bea", {"medication_classes": ["anticoagulant"]}),
        ("Cy", {"history": ["known_dvt"], "areas": {"known_dvt": ["calf_left"]}}),
        ("Di", {"complaint": "stiff neck"}),
        ("Ed", None),
    ]:
        client = make_client(clinic, therapist, given_names=given, family_name="Flagged")
        if answers is not None:
            record_intake(client, {"red_flags": {}, **answers}, therapist)
        people[given] = client
    Clearance.objects.create(
        client=people["Cy"], finding_ids=["rule:dvt_known"], physician_name="Dr Marsh",
        cleared_on=timezone.localdate(), recorded_by=therapist,
    )  # fmt: skip
    return people


def test_the_badge_says_what_the_chart_would(flagged):
    badges = safety_badges(list(flagged.values()))
    labels = {given: badges[c.pk].label if badges[c.pk] else None for given, c in flagged.items()}
    assert labels == {
        "Ada": NEEDS_CLEARANCE,
        "Bea": LIMITS_APPLY,
        "Cy": LIMITS_APPLY,
        "Di": None,
        "Ed": NOT_SCREENED,
    }
    assert badges[flagged["Ada"].pk].reasons  # names the finding


def test_front_desk_sees_the_badge_without_clinical_words(desk, flagged):
    page = logged_in(desk).get(reverse("clients:list")).content.decode()
    assert NEEDS_CLEARANCE in page and LIMITS_APPLY in page
    reasons = {r for b in safety_badges(list(flagged.values())).values() if b for r in b.reasons}
    assert reasons
    for reason in reasons:
        assert reason not in page
    assert "safety-reasons" not in page


def test_clinicians_see_the_short_reason(therapist, flagged):
    page = logged_in(therapist).get(reverse("clients:list")).content.decode()
    badge = safety_badges([flagged["Ada"]])[flagged["Ada"].pk]
    assert NEEDS_CLEARANCE in page
    assert badge.reasons[0] in page


def test_it_shows_the_last_visit_held(clinic, therapist, client_record):
    today = timezone.localdate()
    for day in (today - timedelta(days=9), today - timedelta(days=2), today + timedelta(days=5)):
        Visit.objects.create(
            clinic_id=clinic.pk, client=client_record, therapist=therapist, visit_date=day
        )
    page = logged_in(therapist).get(reverse("clients:list")).content.decode()
    assert "Last visit" in page
    assert f"{today - timedelta(days=2):%Y-%m-%d}" in page
    assert f"{today + timedelta(days=5):%Y-%m-%d}" not in page


def test_a_client_never_seen_has_no_last_visit(therapist, client_record):
    page = logged_in(therapist).get(reverse("clients:list")).content.decode()
    row = page.split("Lovelace, Ada")[1].split("</tr>")[0]
    name, born, phone, last_visit, *_ = re.findall(r"<td[^>]*>(.*?)</td>", "<td>" + row)
    assert (born, last_visit) == ("1965-12-10", "—")


def test_the_next_visit_column_comes_with_the_calendar(therapist, client_record):
    # Appointments (above clients) add `next_visit` to the rows; the list shows the column.
    page = logged_in(therapist).get(reverse("clients:list")).content.decode()
    assert "Next visit" in page
    row = page.split("Lovelace, Ada")[1].split("</tr>")[0]
    assert re.findall(r"<td[^>]*>(.*?)</td>", "<td>" + row)[4] == "—"
