"""Screening enforcement on visit save and sign: blocked without an override, allowed with one."""

from django.urls import reverse

from kneadwell.audit.models import AccessLogEntry, Action
from kneadwell.conftest import logged_in
from kneadwell.knowledge.loader import load_knowledge
from kneadwell.screening.enforce import record_screening
from kneadwell.screening.models import Override
from kneadwell.visits.models import Visit

CAP = next(
    e.max_pressure
    for e in load_knowledge().rules["anticoagulant"].effects
    if e.kind == "cap_pressure"
)

AVOIDED = {e.technique for e in load_knowledge().rules["anticoagulant"].effects if e.technique}
# A technique the rule allows, used at pressures both within and above the cap.
FIRM = next(
    t.id
    for t in load_knowledge().techniques.values()
    if t.id not in AVOIDED and t.pressure_min <= CAP < t.pressure_max
)


def _note(pressure, **extra):
    return {
        "visit_date": "2026-11-20",
        "client_report": "Fine",
        "t-TOTAL_FORMS": "4",
        "t-INITIAL_FORMS": "0",
        "t-0-technique": FIRM,
        "t-0-region": "low_back",
        "t-0-pressure": str(pressure),
        "ae-TOTAL_FORMS": "1",
        "ae-INITIAL_FORMS": "0",
        **extra,
    }


def _visit(therapist, client, answers):
    record_screening(client, answers, "intake", therapist)
    browser = logged_in(therapist)
    # A blocked client's note is started after the warning page ("confirm").
    browser.post(reverse("visits:start", args=[client.pk]), {"confirm": "1"})
    visit = Visit.objects.get(client=client)
    return browser, reverse("visits:edit", args=[client.pk, visit.pk]), visit


def test_pressure_above_the_cap_cannot_be_signed_without_a_reason(therapist, client_record):
    browser, url, visit = _visit(
        therapist, client_record, {"medication_classes": ["anticoagulant"]}
    )
    page = browser.post(url, _note(CAP + 1, sign="1")).content.decode()
    assert "does not allow this note" in page
    visit.refresh_from_db()
    assert not visit.is_signed
    assert visit.treatment == []
    assert visit.draft_data["t-0-pressure"] == [str(CAP + 1)]


def test_an_override_with_a_reason_signs_and_is_logged(therapist, client_record):
    browser, url, visit = _visit(
        therapist, client_record, {"medication_classes": ["anticoagulant"]}
    )
    browser.post(
        url, _note(CAP + 1, sign="1", override_reason="INR checked today, physician agreed")
    )
    visit.refresh_from_db()
    assert visit.is_signed
    override = Override.objects.get(client=client_record)
    assert override.reason == "INR checked today, physician agreed"
    assert AccessLogEntry.objects.filter(
        action=Action.OVERRIDE, client_id=client_record.pk
    ).exists()


def test_pressure_within_the_cap_is_allowed(therapist, client_record):
    browser, url, visit = _visit(
        therapist, client_record, {"medication_classes": ["anticoagulant"]}
    )
    browser.post(url, _note(CAP, sign="1"))
    visit.refresh_from_db()
    assert visit.is_signed
    assert not Override.objects.exists()


def test_an_emergency_red_flag_blocks_even_saving_the_draft(therapist, client_record):
    flag = next(f for f in load_knowledge().red_flags.values() if f.tier == "emergency")
    browser, url, visit = _visit(therapist, client_record, {"red_flags": {flag.id: True}})
    page = browser.post(url, _note(2, save="1")).content.decode()
    assert "Treatment is blocked" in page
    visit.refresh_from_db()
    assert visit.treatment == []


def test_without_any_screening_the_note_asks_for_the_intake(therapist, client_record):
    browser = logged_in(therapist)
    start = reverse("visits:start", args=[client_record.pk])
    warning = browser.post(start).content.decode()
    assert "Complete the intake before treating" in warning
    assert not Visit.objects.exists()
    browser.post(start, {"confirm": "1"})
    visit = Visit.objects.get(client=client_record)
    url = reverse("visits:edit", args=[client_record.pk, visit.pk])
    page = browser.post(url, _note(2, sign="1")).content.decode()
    assert "Complete the intake before treating" in page


def test_the_clients_position_is_recorded_and_checked_on_sign(therapist, client_record):
    # Lumbar spinal stenosis: no flat face-down lying (FACTS §5); face-down supported is fine.
    browser, url, visit = _visit(therapist, client_record, {"conditions": ["lss_with_nc"]})
    kb = load_knowledge()
    checkin = {f"rf_{f.id}": "no" for f in kb.red_flags_for("lss_with_nc", every_visit=True)}
    checkin.update({f"today_{item.id}": "no" for item in kb.checkin_items()})
    prone = _note(2, sign="1", **{"t-0-position": "prone"}, **checkin)
    page = browser.post(url, prone).content.decode()
    assert "does not allow this note" in page and "not prone (face down) for" in page
    visit.refresh_from_db()
    assert not visit.is_signed
    browser.post(url, _note(2, sign="1", **{"t-0-position": "prone_supported"}, **checkin))
    visit.refresh_from_db()
    assert visit.is_signed
    assert visit.treatment_items()[0]["position"] == "prone_supported"
    page = browser.get(visit.get_absolute_url()).content.decode()
    assert "Prone with a pillow under the belly" in page


def test_from_the_pregnancy_week_a_row_without_a_position_cannot_be_signed(
    therapist, client_record
):
    browser, url, visit = _visit(therapist, client_record, {"pregnancy_week": 24})
    page = browser.post(url, _note(2, sign="1")).content.decode()
    assert "record the client" in page
    browser.post(url, _note(2, sign="1", **{"t-0-position": "side_lying"}))
    visit.refresh_from_db()
    assert visit.is_signed


def test_an_unknown_position_is_refused_next_to_the_field(therapist, client_record):
    browser, url, visit = _visit(therapist, client_record, {})
    page = browser.post(url, _note(2, save="1", **{"t-0-position": "upside_down"})).content.decode()
    assert "Choose one of the positions listed." in page
