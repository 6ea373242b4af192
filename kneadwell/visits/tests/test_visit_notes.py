"""Visit notes: start from the last visit, drafts kept as typed, signing locks, addenda."""

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from kneadwell.audit.models import AccessLogEntry, Action
from kneadwell.conftest import logged_in
from kneadwell.measures.models import Response
from kneadwell.screening.enforce import record_screening
from kneadwell.visits.models import NoteLocked, Visit

NOTE = {
    "visit_date": "2026-11-20",
    "start_time": "10:00",
    "duration_minutes": "45",
    "nprs": "4",
    "client_report": "Slept better",
    "treated_regions": ["low_back"],
    "t-TOTAL_FORMS": "4",
    "t-INITIAL_FORMS": "0",
    "t-0-technique": "swedish",
    "t-0-region": "low_back",
    "t-0-pressure": "3",
    "t-0-minutes": "30",
    "ae-TOTAL_FORMS": "1",
    "ae-INITIAL_FORMS": "0",
    "home_advice": "Walk daily",
}


@pytest.fixture(autouse=True)
def screened(client_record, therapist):
    """An intake screening with nothing found, so treatment is allowed."""
    return record_screening(client_record, {"conditions": ["chronic_lbp"]}, "intake", therapist)


@pytest.fixture
def browser(therapist):
    return logged_in(therapist)


def _start(browser, client, **extra):
    response = browser.post(reverse("visits:start", args=[client.pk]), extra)
    return Visit.objects.get(pk=response["Location"].split("/")[-3])


def test_a_note_is_saved_then_signed_and_locked(browser, client_record):
    visit = _start(browser, client_record)
    edit = reverse("visits:edit", args=[client_record.pk, visit.pk])
    response = browser.post(edit, {**NOTE, "sign": "1"})
    visit.refresh_from_db()
    assert response["Location"] == visit.get_absolute_url()
    assert visit.is_signed and visit.signed_by is not None
    assert visit.treatment == [
        {"technique": "swedish", "region": "low_back", "pressure": 3, "minutes": 30}
    ]
    assert browser.get(edit)["Location"] == visit.get_absolute_url()
    browser.post(edit, {**NOTE, "client_report": "changed later"})
    visit.refresh_from_db()
    assert visit.client_report == "Slept better"


def test_a_signed_note_rejects_edits_in_code_too(browser, client_record):
    visit = _start(browser, client_record)
    browser.post(reverse("visits:edit", args=[client_record.pk, visit.pk]), {**NOTE, "sign": "1"})
    visit.refresh_from_db()
    visit.assessment = "rewritten"
    with pytest.raises(NoteLocked):
        visit.save()


def test_signing_adds_the_pain_rating_to_the_nprs_series(browser, client_record):
    visit = _start(browser, client_record)
    browser.post(reverse("visits:edit", args=[client_record.pk, visit.pk]), {**NOTE, "sign": "1"})
    response = Response.objects.get(client=client_record, instrument="nprs")
    assert response.score == 4
    assert response.context["recall"] == "now"


def test_an_addendum_keeps_author_and_time(browser, client_record, therapist):
    visit = _start(browser, client_record)
    browser.post(reverse("visits:edit", args=[client_record.pk, visit.pk]), {**NOTE, "sign": "1"})
    url = reverse("visits:addendum", args=[client_record.pk, visit.pk])
    page = browser.post(url, {"text": ""}).content.decode()
    assert "Write the correction or addition." in page
    browser.post(url, {"text": "Client phoned: soreness settled next day."})
    addendum = visit.addenda.get()
    assert addendum.author == therapist
    assert "soreness settled" in browser.get(visit.get_absolute_url()).content.decode()


def test_autosave_keeps_exactly_what_was_typed_even_when_invalid(browser, client_record):
    visit = _start(browser, client_record)
    autosave = reverse("visits:autosave", args=[client_record.pk, visit.pk])
    typed = {**NOTE, "duration_minutes": "forty", "client_report": "Half a sentence"}
    assert browser.post(autosave, typed).status_code == 200
    page = browser.get(reverse("visits:edit", args=[client_record.pk, visit.pk])).content.decode()
    assert "Half a sentence" in page
    assert 'value="forty"' in page
    visit.refresh_from_db()
    assert visit.duration_minutes != "forty"
    assert AccessLogEntry.objects.filter(
        action=Action.UPDATE, what="visit note (autosave)"
    ).exists()


def test_invalid_input_names_the_field_and_keeps_the_rest(browser, client_record):
    visit = _start(browser, client_record)
    data = {**NOTE, "t-0-pressure": "", "client_report": "Keep me"}
    page = browser.post(
        reverse("visits:edit", args=[client_record.pk, visit.pk]), {**data, "sign": "1"}
    ).content.decode()
    assert "Choose the pressure level (1 to 5)." in page
    assert "Keep me" in page
    visit.refresh_from_db()
    assert not visit.is_signed


def test_a_pressure_outside_the_techniques_range_is_refused(browser, client_record):
    visit = _start(browser, client_record)
    data = {**NOTE, "t-0-technique": "lymphatic_drainage", "t-0-pressure": "5"}
    page = browser.post(
        reverse("visits:edit", args=[client_record.pk, visit.pk]), data
    ).content.decode()
    assert "Manual lymphatic drainage is used at pressure" in page


def test_follow_up_from_last_visit_prefills_the_usual_pattern(browser, client_record):
    first = _start(browser, client_record)
    browser.post(reverse("visits:edit", args=[client_record.pk, first.pk]), {**NOTE, "sign": "1"})
    second = _start(browser, client_record, from_last="1")
    assert second.treatment == [
        {"technique": "swedish", "region": "low_back", "pressure": 3, "minutes": 30}
    ]
    assert second.home_advice == "Walk daily"
    assert second.treated_regions == ["low_back"]
    assert second.client_report == ""


def test_drafts_survive_a_reload(browser, client_record):
    visit = _start(browser, client_record)
    edit = reverse("visits:edit", args=[client_record.pk, visit.pk])
    browser.post(edit, {**NOTE, "save": "1"})
    assert "Slept better" in logged_in(visit.therapist).get(edit).content.decode()


def test_access(owner, therapist, colleague, desk, outsider, client_record):
    visit = _start(logged_in(therapist), client_record)
    urls = [reverse("visits:edit", args=[client_record.pk, visit.pk])]
    posts = [
        reverse("visits:start", args=[client_record.pk]),
        reverse("visits:autosave", args=[client_record.pk, visit.pk]),
        reverse("visits:addendum", args=[client_record.pk, visit.pk]),
    ]
    for url in urls:
        assert HttpClient().get(url).status_code == 302
        assert logged_in(outsider).get(url).status_code == 404
        assert logged_in(colleague).get(url).status_code == 404
        assert logged_in(desk).get(url).status_code == 403
        assert logged_in(owner).get(url).status_code == 200
    for url in posts:
        assert logged_in(outsider).post(url, {}).status_code == 404
        assert logged_in(colleague).post(url, {}).status_code == 404
        assert logged_in(desk).post(url, {}).status_code == 403


def test_the_draft_page_shows_the_screening_banner_and_body_charts(browser, client_record):
    visit = _start(browser, client_record)
    page = browser.get(reverse("visits:edit", args=[client_record.pk, visit.pk]))
    assert page.status_code == 200
    assert page.content.decode().count('class="bodychart"') == 2


def test_the_body_chart_round_trips_the_regions_chosen(browser, client_record):
    visit = _start(browser, client_record)
    edit = reverse("visits:edit", args=[client_record.pk, visit.pk])
    browser.post(edit, {**NOTE, "pain_regions": ["low_back", "calf_left"], "save": "1"})
    visit.refresh_from_db()
    assert sorted(visit.pain_regions) == ["calf_left", "low_back"]
    page = browser.get(edit).content.decode()
    assert 'class="bodychart-region is-selected" data-region="calf_left"' in page


def test_a_signed_note_without_a_length_says_so_in_words(browser, client_record):
    visit = _start(browser, client_record)
    note = {**NOTE, "duration_minutes": "", "start_time": "", "sign": "1"}
    browser.post(reverse("visits:edit", args=[client_record.pk, visit.pk]), note)
    page = browser.get(reverse("visits:detail", args=[client_record.pk, visit.pk])).content
    assert b"length not recorded" in page
    assert b"? minutes" not in page and b"\xc2\xb7  \xc2\xb7" not in page
