"""Visit check-in: the every-visit red flags for sciatica and stenosis, evaluated again."""

import re

import pytest
from django.urls import reverse

from kneadwell.conftest import logged_in
from kneadwell.knowledge.loader import load_knowledge
from kneadwell.screening.enforce import record_intake
from kneadwell.screening.models import Screening, ScreeningKind

KB = load_knowledge()
EVERY_VISIT = sorted({f.id for c in ("sciatica",) for f in KB.red_flags_for(c, every_visit=True)})


@pytest.fixture
def sciatica(client_record, therapist):
    answers = {
        "conditions": ["sciatica"],
        "red_flags": {flag: False for flag in KB.red_flags},
        "medication_classes": ["anticoagulant"],
    }
    record_intake(client_record, answers, therapist)
    return client_record


def checkin_data(**yes) -> dict:
    data = {f"rf_{flag}": "yes" if yes.get(flag) else "no" for flag in EVERY_VISIT}
    data.update({f"today_{i.id}": "yes" if yes.get(i.id) else "no" for i in KB.checkin_items()})
    return data


def test_it_asks_only_the_every_visit_red_flags(therapist, sciatica):
    page = logged_in(therapist).get(reverse("screening:checkin", args=[sciatica.pk]))
    html = page.content.decode()
    for flag in KB.red_flags.values():
        assert (f'name="rf_{flag.id}"' in html) is (flag.id in EVERY_VISIT), flag.id
    assert "ces_bladder" in EVERY_VISIT and "cancer_history" not in EVERY_VISIT


def test_a_changed_answer_raises_a_new_finding(therapist, sciatica):
    url = reverse("screening:checkin", args=[sciatica.pk])
    response = logged_in(therapist).post(url, checkin_data(ces_saddle_numbness=True), follow=True)
    assert "1 new finding" in response.content.decode()
    latest = Screening.objects.latest_first().first()
    assert latest.kind == ScreeningKind.VISIT_CHECKIN
    assert "red_flag:ces_saddle_numbness" in latest.finding_ids()
    assert "rule:anticoagulant" in latest.finding_ids()  # the intake's answers carry over
    assert latest.answers["conditions"] == ["sciatica"]


def test_the_same_answers_raise_nothing_new(therapist, sciatica):
    url = reverse("screening:checkin", args=[sciatica.pk])
    response = logged_in(therapist).post(url, checkin_data(), follow=True)
    assert "Check-in saved." in response.content.decode()
    first, second = Screening.objects.order_by("at", "id")
    assert first.finding_ids() == second.finding_ids()


def test_an_unanswered_question_keeps_the_other_answers(therapist, sciatica):
    data = checkin_data(foot_drop=True)
    del data["rf_ces_bladder"]
    response = logged_in(therapist).post(reverse("screening:checkin", args=[sciatica.pk]), data)
    html = response.content.decode()
    assert "Answer yes or no" in html
    assert re.search(r'<input[^>]*name="rf_foot_drop" value="yes"[^>]*checked', html)
    assert Screening.objects.count() == 1


def test_without_an_intake_it_sends_you_to_the_intake(therapist, client_record):
    response = logged_in(therapist).get(reverse("screening:checkin", args=[client_record.pk]))
    assert response["Location"] == reverse("screening:intake_new", args=[client_record.pk])


def test_the_chart_asks_for_a_check_in_for_sciatica(therapist, sciatica):
    html = logged_in(therapist).get(reverse("clients:detail", args=[sciatica.pk])).content
    assert b"red-flag check-in at <strong>every visit</strong>" in html
