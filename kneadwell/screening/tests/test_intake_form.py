"""The intake page: saving creates an intake and a screening; errors keep what was typed."""

import pytest
from django.urls import reverse

from kneadwell.audit.models import AccessLogEntry, Action
from kneadwell.conftest import logged_in
from kneadwell.knowledge.loader import load_knowledge
from kneadwell.screening.models import Intake, Screening

KB = load_knowledge()


def intake_post(**changes) -> dict:
    """A complete intake where every red flag asked for its conditions is answered no."""
    data = {
        "complaint": "Low back pain for months",
        "conditions": ["chronic_lbp"],
        "pain_areas": ["low_back", "buttock_left"],
        "goals": "Garden again",
        "consent": "on",
    }
    conditions = set(changes.get("conditions", data["conditions"]))
    for flag in KB.red_flags.values():
        if flag.applies_to == "all" or conditions & set(flag.applies_to):
            data[f"rf_{flag.id}"] = "no"
    data.update(changes)
    return data


@pytest.fixture
def url(client_record):
    return reverse("screening:intake_new", args=[client_record.pk])


def test_it_saves_an_intake_and_a_screening_with_the_findings(therapist, client_record, url):
    data = intake_post(medication_classes=["anticoagulant"], rf_cancer_history="yes")
    response = logged_in(therapist).post(url, data)
    assert response.status_code == 302
    intake = Intake.objects.get(client=client_record)
    assert intake.answers["pain_areas"] == ["low_back", "buttock_left"]
    assert intake.answers["red_flags"]["cancer_history"] is True
    screening = Screening.objects.get(intake=intake)
    assert screening.finding_ids() == {
        "red_flag:cancer_history",
        "rule:malignancy_flag_answer",
        "rule:anticoagulant",
    }
    assert AccessLogEntry.objects.filter(
        action=Action.CREATE, client_id=client_record.pk, what="intake and screening"
    ).exists()


def test_the_chart_shows_the_banner_after_an_intake(therapist, client_record, url):
    browser = logged_in(therapist)
    browser.post(url, intake_post(rf_suspected_dvt="yes"))
    page = browser.get(reverse("clients:detail", args=[client_record.pk])).content.decode()
    assert "Do not treat: safety findings" in page
    assert "Blocks treatment" in page
    assert (
        "record the physician&#x27;s clearance" in page
        or "record the physician's clearance" in page
    )
    assert "No leg massage" in page


def test_an_unanswered_red_flag_is_an_error_and_typed_values_are_kept(therapist, url):
    data = intake_post(duration="about a year", pain_areas=["neck_posterior"])
    del data["rf_ces_bladder"]
    response = logged_in(therapist).post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Answer yes or no. Ask it directly" in page
    assert 'value="about a year"' in page
    assert 'value="neck_posterior" checked' in page or "is-selected" in page
    assert Intake.objects.count() == 0


def test_condition_specific_red_flags_are_required_only_for_that_condition(therapist, url):
    browser = logged_in(therapist)
    data = intake_post(conditions=["chronic_neck_pain"])
    del data["rf_worst_headache"]
    response = browser.post(url, data)
    assert response.status_code == 200
    assert "Answer yes or no" in response.content.decode()
    data = intake_post(conditions=["fibromyalgia"])
    assert "rf_worst_headache" not in data
    assert browser.post(url, data).status_code == 302


def test_consent_is_required_in_plain_words(therapist, url):
    data = intake_post()
    del data["consent"]
    response = logged_in(therapist).post(url, data)
    assert "Record the client&#x27;s consent" in response.content.decode()


def test_a_pregnancy_week_brings_the_positioning_rule(therapist, client_record, url):
    logged_in(therapist).post(url, intake_post(pregnancy_week="24"))
    screening = Screening.objects.get(client=client_record)
    assert {"rule:pregnancy", "rule:pregnancy_20_weeks"} <= screening.finding_ids()


def test_an_area_recorded_with_a_history_item_is_the_affected_area(therapist, client_record, url):
    data = intake_post(history=["recent_surgery"], area_recent_surgery=["knee_right"])
    logged_in(therapist).post(url, data)
    finding = Screening.objects.get(client=client_record).get_findings()[0]
    assert finding.restrictions[0].regions == ("knee_right",)


def test_an_area_without_its_item_is_an_error(therapist, url):
    response = logged_in(therapist).post(url, intake_post(area_recent_surgery=["knee_right"]))
    assert "Tick the item above as well" in response.content.decode()


def test_a_new_intake_starts_from_the_previous_answers(therapist, client_record, url):
    browser = logged_in(therapist)
    browser.post(url, intake_post(duration="six weeks"))
    page = browser.get(url).content.decode()
    assert 'value="six weeks"' in page


def test_an_onset_in_the_future_or_before_birth_is_refused(therapist, client_record, url):
    browser = logged_in(therapist)
    future = browser.post(url, intake_post(onset="2999-01-01")).context["form"].errors
    assert "The start date cannot be in the future" in future["onset"][0]
    before = browser.post(url, intake_post(onset="1950-06-01")).context["form"].errors
    assert before["onset"] == [
        "The start date is before the client's date of birth (1965-12-10). Check the year."
    ]
    assert not Intake.objects.exists()


def test_text_over_its_limit_is_refused_naming_the_limit(therapist, client_record, url):
    response = logged_in(therapist).post(url, intake_post(duration="on and off " * 20))
    assert (
        "at most 100 characters long; it has 219" in response.context["form"].errors["duration"][0]
    )
