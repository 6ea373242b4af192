"""Referral tasks: a finding whose tier asks for a referral opens one, and the chart and the
visit note show it until a referral letter about the finding is recorded as sent."""

import re

from django.urls import reverse

from kneadwell.conftest import logged_in
from kneadwell.screening.enforce import latest_screening, record_checkin, record_intake
from kneadwell.screening.models import ReferralTask
from kneadwell.visits.models import Visit


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_an_urgent_finding_opens_a_task_due_today_shown_until_the_letter_is_sent(
    therapist, client_record
):
    record_intake(client_record, {"red_flags": {"foot_drop": True}}, therapist)
    task = ReferralTask.objects.get()
    assert (task.finding_id, task.tier, task.done_at) == ("red_flag:foot_drop", "urgent", None)
    browser = logged_in(therapist)
    chart = reverse("clients:detail", args=[client_record.pk])
    page = _text(browser.get(chart))
    assert "Referral to send" in page and "due <strong>today</strong>" in page
    assert "Send the physician a same-day message or letter." in page
    assert f"?task={task.pk}" in page and "foot_drop" not in task.get_absolute_url()
    # The task's link preselects its finding in the letter form.
    form = _text(browser.get(task.get_absolute_url()))
    assert re.search(r'value="red_flag:foot_drop"[^>]*checked', form)
    browser.post(
        reverse("reports:referral_new", args=[client_record.pk]),
        {"finding": "red_flag:foot_drop"},
    )
    referral = client_record.referrals.get()
    assert "Referral to send" in _text(browser.get(chart))  # written, not yet sent
    browser.post(referral.get_absolute_url(), {"sent_at": "2026-01-05T10:30", "method": "phone"})
    task.refresh_from_db()
    assert task.done_at is not None and task.referral == referral
    assert "Referral to send" not in _text(browser.get(chart))


def test_the_visit_note_shows_the_open_task(therapist, client_record):
    record_intake(client_record, {"red_flags": {"inflammatory_back_pain": True}}, therapist)
    task = ReferralTask.objects.get()
    assert task.tier == "soon" and (task.due_on - task.created_at.date()).days == 7
    browser = logged_in(therapist)
    browser.post(reverse("visits:start", args=[client_record.pk]))
    visit = Visit.objects.get()
    page = _text(browser.get(reverse("visits:edit", args=[client_record.pk, visit.pk])))
    assert "Referral to send" in page and "due by" in page


def test_a_caution_finding_opens_no_task(therapist, client_record):
    record_intake(client_record, {"medication_classes": ["anticoagulant"]}, therapist)
    assert not ReferralTask.objects.exists()


def test_a_finding_that_persists_keeps_its_one_task_and_one_that_returns_gets_a_new_one(
    therapist, client_record
):
    answers = {"conditions": ["sciatica"], "red_flags": {"foot_drop": True}}
    first = latest_screening(client_record) or record_intake(client_record, answers, therapist)[1]
    again = record_checkin(client_record, first, {"foot_drop": True}, therapist)
    assert ReferralTask.objects.count() == 1
    gone = record_checkin(client_record, again, {"foot_drop": False}, therapist)
    assert ReferralTask.objects.count() == 1
    record_checkin(client_record, gone, {"foot_drop": True}, therapist)
    assert ReferralTask.objects.count() == 2


def test_a_task_number_from_another_client_preselects_nothing(therapist, client_record, clinic):
    from kneadwell.conftest import make_client

    other = make_client(clinic, therapist, given_names="Grace")
    record_intake(other, {"red_flags": {"foot_drop": True}}, therapist)
    task = ReferralTask.objects.get()
    record_intake(client_record, {"red_flags": {"foot_drop": True}}, therapist)
    url = reverse("reports:referral_new", args=[client_record.pk]) + f"?task={task.pk}"
    page = _text(logged_in(therapist).get(url))
    assert not re.search(r'value="red_flag:foot_drop"[^>]*checked', page)
