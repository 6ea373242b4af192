"""Drafts under control: discarded (logged, never a signed note), not doubled by a second
"New visit note", and a warning first for a blocked or discharged client (issue 10, item 4)."""

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from kneadwell.audit.models import AccessLogEntry, Action
from kneadwell.conftest import ROLES, logged_in, make_member
from kneadwell.knowledge.loader import load_knowledge
from kneadwell.screening.enforce import record_screening
from kneadwell.visits.models import Visit
from kneadwell.visits.tests.test_visit_notes import NOTE


@pytest.fixture
def screened(client_record, therapist):
    return record_screening(client_record, {"conditions": ["chronic_lbp"]}, "intake", therapist)


def _start(browser, client, **data) -> Visit:
    response = browser.post(reverse("visits:start", args=[client.pk]), data)
    return Visit.objects.get(pk=response["Location"].split("/")[-3])


def _discard_url(visit) -> str:
    return reverse("visits:discard", args=[visit.client_id, visit.pk])


# --- Discarding -------------------------------------------------------------------------------


def test_a_draft_is_discarded_after_a_confirmation_and_the_log_says_so(
    therapist, client_record, screened
):
    browser = logged_in(therapist)
    visit = _start(browser, client_record)
    confirm = browser.get(_discard_url(visit)).content.decode()
    assert "Discard this draft?" in confirm and "cannot be brought back" in confirm
    assert Visit.objects.filter(pk=visit.pk).exists()
    response = browser.post(_discard_url(visit))
    assert response["Location"] == client_record.get_absolute_url()
    assert not Visit.objects.filter(pk=visit.pk).exists()
    entry = AccessLogEntry.objects.filter(action=Action.ERASE).get()
    assert entry.what == "visit note draft (discarded)" and entry.client_id == client_record.pk
    assert entry.user_id == therapist.pk


def test_a_signed_note_is_never_discarded(therapist, client_record, screened):
    browser = logged_in(therapist)
    visit = _start(browser, client_record)
    browser.post(reverse("visits:edit", args=[client_record.pk, visit.pk]), {**NOTE, "sign": "1"})
    response = browser.post(_discard_url(visit))
    assert response["Location"] == visit.get_absolute_url()
    assert Visit.objects.get(pk=visit.pk).is_signed
    assert not AccessLogEntry.objects.filter(action=Action.ERASE).exists()


def test_another_therapist_of_the_client_cannot_discard_someone_elses_draft(
    therapist, client_record, screened
):
    other = make_member(client_record.clinic, "otto@willow.test", "therapist")
    client_record.therapists.add(other)
    visit = _start(logged_in(therapist), client_record)
    assert logged_in(other).post(_discard_url(visit)).status_code == 403
    assert Visit.objects.filter(pk=visit.pk).exists()


@pytest.mark.parametrize(
    ("role", "expected"), list(zip(ROLES, [302, 404, 404, 403, 200, 200], strict=True))
)
def test_the_discard_page_is_only_for_those_who_may_discard(
    people, client_record, therapist, screened, role, expected
):
    client_record.therapists.add(people["owner"])
    visit = _start(logged_in(therapist), client_record)
    user = people[role]
    browser = logged_in(user) if user else HttpClient()
    assert browser.get(_discard_url(visit)).status_code == expected


# --- No doubled drafts ------------------------------------------------------------------------


def test_new_visit_note_twice_opens_the_same_untouched_draft(therapist, client_record, screened):
    browser = logged_in(therapist)
    first, second = _start(browser, client_record), _start(browser, client_record)
    assert first == second
    assert Visit.objects.count() == 1


def test_once_something_is_typed_a_second_note_is_a_new_one(therapist, client_record, screened):
    browser = logged_in(therapist)
    first = _start(browser, client_record)
    autosave = reverse("visits:autosave", args=[client_record.pk, first.pk])
    browser.post(autosave, {"client_report": "Sore"})
    assert _start(browser, client_record) != first


def test_a_follow_up_and_an_empty_note_are_not_the_same_draft(therapist, client_record, screened):
    browser = logged_in(therapist)
    last = Visit.objects.create(
        clinic_id=client_record.clinic_id,
        client=client_record,
        therapist=therapist,
        visit_date="2026-11-10",
        home_advice="Walk daily",
    )
    last.sign(therapist)
    follow_up = _start(browser, client_record, from_last="1")
    assert _start(browser, client_record, from_last="1") == follow_up
    empty = _start(browser, client_record)
    assert empty != follow_up and empty.home_advice == ""


def test_each_therapist_gets_their_own_draft(therapist, owner, client_record, screened):
    client_record.therapists.add(owner)
    assert _start(logged_in(therapist), client_record) != _start(logged_in(owner), client_record)


# --- Warnings before starting ----------------------------------------------------------------


def test_a_blocked_client_is_said_to_be_blocked_before_a_note_starts(therapist, client_record):
    flag = next(f for f in load_knowledge().red_flags.values() if f.tier == "emergency")
    record_screening(client_record, {"red_flags": {flag.id: True}}, "intake", therapist)
    browser = logged_in(therapist)
    start = reverse("visits:start", args=[client_record.pk])
    page = browser.post(start).content.decode()
    assert "Before you start a note" in page and "Treatment is blocked by" in page
    assert not Visit.objects.exists()
    assert browser.post(start, {"confirm": "1"}).status_code == 302
    assert Visit.objects.count() == 1


def test_a_discharged_client_is_said_to_be_discharged_before_a_note_starts(
    therapist, client_record, screened
):
    client_record.discharge(timezone.make_aware(timezone.datetime(2026, 10, 1, 12)))
    browser = logged_in(therapist)
    start = reverse("visits:start", args=[client_record.pk])
    page = browser.post(start, {"from_last": "1"}).content.decode()
    assert "was discharged on 2026-10-01" in page
    assert 'name="from_last" value="1"' in page  # the choice made is carried through
    assert not Visit.objects.exists()


def test_a_client_in_treatment_and_screened_starts_at_once(therapist, client_record, screened):
    response = logged_in(therapist).post(reverse("visits:start", args=[client_record.pk]))
    assert response.status_code == 302
