"""Referral letters, clearances, the treatment-check page and the owner's override list."""

import pytest
from django.urls import reverse
from django.utils import timezone

from kneadwell.audit.models import AccessLogEntry, Action
from kneadwell.conftest import logged_in
from kneadwell.screening.enforce import record_intake
from kneadwell.screening.models import Clearance, Override, Referral


@pytest.fixture
def flagged(client_record, therapist):
    client_record.physician_name = "Dr Helena Marsh"
    client_record.save()
    record_intake(client_record, {"red_flags": {"suspected_dvt": True}}, therapist)
    return client_record


def test_a_referral_letter_states_the_finding_and_its_urgency(therapist, flagged):
    browser = logged_in(therapist)
    url = reverse("reports:referral_new", args=[flagged.pk])
    response = browser.post(url, {"finding": "red_flag:suspected_dvt", "note": "Seen today."})
    referral = Referral.objects.get()
    assert response["Location"] == referral.get_absolute_url()
    assert referral.urgency == "urgent"
    letter = referral.letter_html
    assert "Dr Helena Marsh" in letter
    assert "Urgent: do not treat; contact the physician today" in letter
    assert "Same-day medical assessment" in letter
    assert "Seen today." in letter
    page = browser.get(referral.get_absolute_url()).content.decode()
    assert "Not sent yet" in page


def test_it_records_when_and_how_the_letter_was_sent(therapist, flagged):
    browser = logged_in(therapist)
    browser.post(
        reverse("reports:referral_new", args=[flagged.pk]), {"finding": "red_flag:suspected_dvt"}
    )
    referral = Referral.objects.get()
    response = browser.post(
        referral.get_absolute_url(), {"sent_at": "2026-01-05T10:30", "method": "fax"}
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.method == "fax" and referral.sent_at.day == 5
    assert AccessLogEntry.objects.filter(
        action=Action.UPDATE, what="referral letter fields: sent_at, method"
    ).exists()


def test_recording_sending_needs_a_method_in_plain_words(therapist, flagged):
    browser = logged_in(therapist)
    browser.post(
        reverse("reports:referral_new", args=[flagged.pk]), {"finding": "red_flag:suspected_dvt"}
    )
    referral = Referral.objects.get()
    response = browser.post(referral.get_absolute_url(), {"sent_at": "2026-01-05T10:30"})
    page = response.content.decode()
    assert "Choose how the letter was sent." in page
    assert 'value="2026-01-05T10:30"' in page


def test_a_clearance_lifts_the_banners_block(therapist, flagged):
    browser = logged_in(therapist)
    chart = reverse("clients:detail", args=[flagged.pk])
    assert "Blocks treatment" in browser.get(chart).content.decode()
    response = browser.post(
        reverse("screening:clearance_new", args=[flagged.pk]),
        {
            "finding_ids": ["red_flag:suspected_dvt", "rule:dvt_suspected_answer"],
            "physician_name": "Dr Helena Marsh",
            "cleared_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    assert Clearance.objects.get().recorded_by == therapist
    page = browser.get(chart).content.decode()
    assert "Blocks treatment" not in page and "Cleared by physician" in page


def test_a_clearance_in_the_future_is_refused(therapist, flagged):
    response = logged_in(therapist).post(
        reverse("screening:clearance_new", args=[flagged.pk]),
        {
            "finding_ids": ["red_flag:suspected_dvt"],
            "physician_name": "Dr M",
            "cleared_on": "2999-01-01",
        },
    )
    assert "cannot be in the future" in response.content.decode()
    assert 'value="Dr M"' in response.content.decode()


def test_the_treatment_check_page_blocks_then_records_an_override(therapist, owner, flagged):
    browser = logged_in(therapist)
    url = reverse("screening:treatment_check", args=[flagged.pk])
    data = {
        "item-TOTAL_FORMS": "3",
        "item-INITIAL_FORMS": "0",
        "item-0-technique": "swedish",
        "item-0-region": "calf_left",
        "item-0-pressure": "2",
    }
    page = browser.post(url, data).content.decode()
    assert "Blocked" in page and Override.objects.count() == 0
    page = browser.post(url, {**data, "override_reason": "Client insists"}).content.decode()
    assert "Blocked" in page and Override.objects.count() == 0
    # A physician's clearance lifts the block; the limits on the leg still need a reason.
    blocking = [f["id"] for f in flagged.screenings.latest_first().first().findings]
    flagged.clearances.create(
        finding_ids=blocking,
        physician_name="Dr. Ng",
        cleared_on="2026-11-23",
        recorded_by=therapist,
    )
    page = browser.post(url, data).content.decode()
    assert "Blocked" not in page
    page = browser.post(url, {**data, "override_reason": "ED excluded a clot"}).content.decode()
    assert "Allowed" in page
    assert Override.objects.filter(reason="ED excluded a clot").count() >= 1
    listing = logged_in(owner).get(reverse("screening:overrides")).content.decode()
    assert "ED excluded a clot" in listing and flagged.display_name in listing


def test_a_half_filled_treatment_row_is_an_error(therapist, flagged):
    data = {"item-TOTAL_FORMS": "3", "item-INITIAL_FORMS": "0", "item-0-technique": "swedish"}
    response = logged_in(therapist).post(
        reverse("screening:treatment_check", args=[flagged.pk]), data
    )
    assert "Choose a technique, a body area and a pressure, or none." in response.content.decode()


def test_the_override_list_shows_only_this_clinics_overrides(outsider, therapist, flagged):
    Override.objects.create(
        client=flagged, finding_id="rule:x", violation="region", reason="Because", by=therapist
    )
    page = logged_in(outsider).get(reverse("screening:overrides")).content.decode()
    assert "No overrides recorded." in page
