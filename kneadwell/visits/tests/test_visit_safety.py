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


def test_an_urgent_red_flag_blocks_even_saving_the_draft(therapist, client_record):
    flag = next(f for f in load_knowledge().red_flags.values() if f.tier == "urgent")
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
