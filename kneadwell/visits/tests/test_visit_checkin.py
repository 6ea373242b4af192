"""The every-visit red-flag check-in inside the note: asked at the start, needed to sign, and
its answers enforced as a screening's are (issue 10, item 3)."""

import pytest
from django.urls import reverse

from kneadwell.audit.models import AccessLogEntry, Action
from kneadwell.conftest import api_as, logged_in
from kneadwell.knowledge.loader import load_knowledge
from kneadwell.screening.enforce import record_checkin, record_intake, record_screening
from kneadwell.screening.models import Screening, ScreeningKind
from kneadwell.visits.models import Visit
from kneadwell.visits.tests.test_visit_notes import NOTE

KB = load_knowledge()
EVERY_VISIT = sorted({f.id for f in KB.red_flags_for("sciatica", every_visit=True)})


@pytest.fixture
def sciatica(client_record, therapist):
    answers = {"conditions": ["sciatica"], "red_flags": {flag: False for flag in KB.red_flags}}
    record_intake(client_record, answers, therapist)
    return client_record


def answers(**yes) -> dict:
    return {f"rf_{flag}": "yes" if yes.get(flag) else "no" for flag in EVERY_VISIT}


def _start(therapist, client) -> tuple:
    browser = logged_in(therapist)
    response = browser.post(reverse("visits:start", args=[client.pk]))
    visit = Visit.objects.get(pk=response["Location"].split("/")[-3])
    return browser, visit, reverse("visits:edit", args=[client.pk, visit.pk])


def test_a_new_note_asks_the_every_visit_red_flags(therapist, sciatica):
    browser, _, edit = _start(therapist, sciatica)
    page = browser.get(edit).content.decode()
    assert "Red-flag check-in for today" in page
    for flag in KB.red_flags.values():
        assert (f'name="rf_{flag.id}"' in page) is (flag.id in EVERY_VISIT), flag.id


def test_a_client_without_sciatica_or_stenosis_is_not_asked(therapist, client_record):
    record_screening(client_record, {"conditions": ["chronic_lbp"]}, "intake", therapist)
    browser, _, edit = _start(therapist, client_record)
    assert "Red-flag check-in" not in browser.get(edit).content.decode()


def test_the_note_is_not_signed_until_the_check_in_is_answered(therapist, sciatica):
    browser, visit, edit = _start(therapist, sciatica)
    response = browser.post(edit, {**NOTE, "sign": "1"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Answer every check-in question, yes or no, before signing." in page
    assert "Slept better" in page  # everything typed is kept
    visit.refresh_from_db()
    assert not visit.is_signed and visit.checkin is None
    assert Screening.objects.filter(kind=ScreeningKind.VISIT_CHECKIN).count() == 0


def test_a_draft_is_saved_without_the_check_in(therapist, sciatica):
    browser, visit, edit = _start(therapist, sciatica)
    response = browser.post(edit, {**NOTE, "save": "1"})
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.client_report == "Slept better" and visit.checkin is None


def test_half_an_answered_check_in_is_finished_before_saving(therapist, sciatica):
    browser, visit, edit = _start(therapist, sciatica)
    partial = answers()
    del partial["rf_ces_bowel"]
    page = browser.post(edit, {**NOTE, **partial, "save": "1"}).content.decode()
    assert "Answer yes or no." in page
    visit.refresh_from_db()
    assert visit.draft_data["rf_ces_bladder"] == ["no"]  # kept as typed


def test_answered_no_the_note_signs_and_the_check_in_is_recorded(therapist, sciatica):
    browser, visit, edit = _start(therapist, sciatica)
    response = browser.post(edit, {**NOTE, **answers(), "sign": "1"})
    visit.refresh_from_db()
    assert response["Location"] == visit.get_absolute_url()
    assert visit.is_signed
    assert visit.checkin.kind == ScreeningKind.VISIT_CHECKIN
    assert not any(f.startswith("red_flag:") for f in visit.checkin.finding_ids())
    assert AccessLogEntry.objects.filter(
        action=Action.CREATE, what="visit check-in screening", client_id=sciatica.pk
    ).exists()


def test_a_yes_raises_the_finding_and_blocks_the_note_as_a_screening_would(therapist, sciatica):
    browser, visit, edit = _start(therapist, sciatica)
    response = browser.post(edit, {**NOTE, **answers(ces_bladder=True), "sign": "1"})
    page = response.content.decode()
    visit.refresh_from_db()
    assert not visit.is_signed
    assert "red_flag:ces_bladder" in visit.checkin.finding_ids()
    assert "Treatment is blocked by" in page
    assert "The client's screening does not allow this note as it stands" in page
    # Saving the same answers again records nothing new.
    browser.post(edit, {**NOTE, **answers(ces_bladder=True), "save": "1"})
    assert Screening.objects.filter(kind=ScreeningKind.VISIT_CHECKIN).count() == 1


def test_a_check_in_done_on_its_own_page_today_counts_for_the_next_note(therapist, sciatica):
    latest = Screening.objects.get()
    checkin = record_checkin(sciatica, latest, {flag: False for flag in EVERY_VISIT}, therapist)
    browser, visit, edit = _start(therapist, sciatica)
    assert visit.checkin == checkin
    page = browser.get(edit).content.decode()
    assert "Answered" in page
    response = browser.post(edit, {**NOTE, **answers(), "sign": "1"})
    visit.refresh_from_db()
    assert visit.is_signed and visit.checkin == checkin  # the same answers: no second check-in
    assert response.status_code == 302


def test_the_api_needs_the_check_in_to_sign(therapist, sciatica):
    call = api_as(therapist)
    base = f"/api/v1/clients/{sciatica.pk}/visits"
    visit = call("post", base, {"client_report": "Sore"}).json()
    sign = f"{base}/{visit['id']}/sign"
    missing = call("post", sign, {})
    assert missing.status_code == 409 and "check-in" in missing.json()["detail"]
    partial = {flag: False for flag in EVERY_VISIT if flag != "ces_bowel"}
    incomplete = call("post", sign, {"checkin": {**partial, "hiccups": False}})
    assert incomplete.status_code == 422
    fields = {e["field"] for e in incomplete.json()["errors"]}
    assert fields == {"checkin.ces_bowel", "checkin.hiccups"}
    signed = call("post", sign, {"checkin": {flag: False for flag in EVERY_VISIT}})
    assert signed.status_code == 200 and signed.json()["status"] == "signed"
    assert Visit.objects.get(pk=visit["id"]).checkin.kind == ScreeningKind.VISIT_CHECKIN


def test_the_api_blocks_on_a_yes(therapist, sciatica):
    call = api_as(therapist)
    base = f"/api/v1/clients/{sciatica.pk}/visits"
    visit = call("post", base, {}).json()
    yes = {flag: flag == "ces_saddle_numbness" for flag in EVERY_VISIT}
    response = call("post", f"{base}/{visit['id']}/sign", {"checkin": yes})
    assert response.status_code == 409
    assert "blocked" in response.json()["detail"]
