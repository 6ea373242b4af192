"""Recording a questionnaire through its form: scored on save, errors next to the item,
licensed wording only when the clinic loaded it, PSFS activities carried forward."""

import pytest
from django.urls import reverse

from kneadwell.audit.models import AccessLogEntry
from kneadwell.conftest import logged_in
from kneadwell.knowledge.instruments.registry import load_instruments
from kneadwell.measures.models import InstrumentSetting, LicensedText, Response
from kneadwell.measures.tests.helpers import ODI_LICENSED, record_series

TAKEN = "2025-03-04T09:30"


def url(client, instrument):
    return reverse("measures:new", args=[client.pk, instrument])


def post(user, client, instrument, data):
    return logged_in(user).post(
        url(client, instrument), {"taken_at": TAKEN, "source": "staff", **data}
    )


def test_it_records_and_scores_an_nprs_with_its_recall_period(therapist, client_record):
    response = post(therapist, client_record, "nprs", {"recall": "average_week", "item_1": "6"})
    assert response.status_code == 302
    assert response["Location"] == reverse("measures:list", args=[client_record.pk])
    saved = Response.objects.get()
    assert (saved.instrument, saved.score, saved.band, saved.rule) == (
        "nprs",
        6,
        "moderate",
        "complete",
    )
    assert saved.context == {"recall": "average_week"}
    assert saved.entered_by == therapist
    assert saved.clinic_id == client_record.clinic_id


def test_it_ignores_a_score_sent_with_the_form(therapist, client_record):
    post(
        therapist,
        client_record,
        "nprs",
        {"recall": "now", "item_1": "3", "score": "0", "band": "none"},
    )
    saved = Response.objects.get()
    assert (saved.score, saved.band) == (3, "mild")


def test_it_asks_for_the_nprs_recall_period_next_to_the_field(therapist, client_record):
    response = post(therapist, client_record, "nprs", {"item_1": "6"})
    assert response.status_code == 200
    form = response.context["form"]
    assert "recall" in form.errors
    assert "now, worst_24h" in form.errors["recall"][0]
    assert 'value="6" id="id_item_1_6" checked' in response.content.decode()
    assert not Response.objects.exists()


def test_it_names_the_missing_odi_sections_and_keeps_the_answers(therapist, client_record):
    data = {f"item_{n}": "2" for n in range(1, 9)}  # sections 9 and 10 left out
    response = post(therapist, client_record, "odi", data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "too many items missing (9, 10)" in errors["item_9"][0]
    assert response.context["form"]["item_1"].value() == "2"
    assert "fix the fields marked below" in response.content.decode()


def test_it_scores_the_odi_with_one_section_missing_by_the_default_rule(therapist, client_record):
    data = {f"item_{n}": "2" for n in range(1, 9)} | {"item_9": "0"}
    post(therapist, client_record, "odi", data)
    saved = Response.objects.get()
    assert saved.score == pytest.approx(16 / 45 * 100)
    assert saved.rule == "answered_max1"
    assert saved.prorated is True


def test_it_uses_and_stores_the_clinics_missing_item_rule(therapist, client_record):
    InstrumentSetting.objects.create(
        clinic=client_record.clinic, instrument="odi", missing_rule="answered_max2"
    )
    data = {f"item_{n}": "2" for n in range(1, 9)}
    assert post(therapist, client_record, "odi", data).status_code == 302
    saved = Response.objects.get()
    assert saved.rule == "answered_max2"
    assert saved.score == pytest.approx(40.0)


def test_without_licensed_text_the_odi_form_shows_the_notice_and_scores_only(
    therapist, client_record
):
    page = logged_in(therapist).get(url(client_record, "odi")).content.decode()
    assert "licensed wording of the ODI is not installed" in page
    assert "Section 1: Pain intensity" in page
    assert "Licensed question" not in page


def test_with_licensed_text_the_odi_form_shows_the_wording(therapist, client_record):
    LicensedText.install(client_record.clinic, ODI_LICENSED)
    page = logged_in(therapist).get(url(client_record, "odi")).content.decode()
    assert "not installed" not in page
    assert "Licensed question 1" in page
    assert "Wording 1.5" in page
    assert "© Test holder" in page


def test_another_clinics_licensed_text_is_not_shown(therapist, client_record, outsider):
    LicensedText.install(outsider.membership.clinic, ODI_LICENSED)
    page = logged_in(therapist).get(url(client_record, "odi")).content.decode()
    assert "not installed" in page
    assert "Licensed question 1" not in page


def test_the_first_psfs_names_activities_and_follow_ups_carry_them_forward(
    therapist, client_record
):
    first = {
        "activities_1": "Lifting my grandchild",
        "item_1": "3",
        "activities_2": "Gardening",
        "item_2": "5",
    }
    assert post(therapist, client_record, "psfs", first).status_code == 302
    saved = Response.objects.get()
    assert saved.context == {"activities": {"1": "Lifting my grandchild", "2": "Gardening"}}
    assert saved.score == 4

    form = logged_in(therapist).get(url(client_record, "psfs")).context["form"]
    assert form["activities_1"].value() == "Lifting my grandchild"
    assert form["activities_2"].value() == "Gardening"
    assert form["activities_3"].value() == ""


def test_a_psfs_rating_without_its_activity_is_refused_next_to_the_activity(
    therapist, client_record
):
    response = post(therapist, client_record, "psfs", {"item_1": "4"})
    assert response.context["form"].errors["activities_1"] == [
        "Name the activity this rating is for."
    ]


def test_it_records_an_rmdq_from_ticked_statements(therapist, client_record):
    post(therapist, client_record, "rmdq", {"item_1": "on", "item_5": "on", "item_24": "on"})
    saved = Response.objects.get()
    assert saved.score == 3
    assert saved.answers["2"] == 0


def test_it_refuses_a_date_in_the_future(therapist, client_record):
    response = post(
        therapist,
        client_record,
        "nprs",
        {"recall": "now", "item_1": "3", "taken_at": "2999-01-01T10:00"},
    )
    assert "in the future" in response.context["form"].errors["taken_at"][0]


def test_it_renders_every_instrument_with_labelled_inputs(therapist, client_record):
    browser = logged_in(therapist)
    for instrument in load_instruments():
        page = browser.get(url(client_record, instrument)).content.decode()
        assert "<legend>" in page, instrument
        assert 'style="' not in page and "<script>" not in page, instrument


def test_recording_logs_the_form_view_and_the_creation(therapist, client_record):
    logged_in(therapist).get(url(client_record, "nprs"))
    post(therapist, client_record, "nprs", {"recall": "now", "item_1": "3"})
    entries = list(AccessLogEntry.objects.order_by("id").values_list("action", "what", "client_id"))
    assert entries == [
        ("view", "outcome measure form: NPRS", client_record.pk),
        ("create", "outcome measure: NPRS", client_record.pk),
    ]


def test_an_unknown_instrument_is_not_found(therapist, client_record):
    assert logged_in(therapist).get(url(client_record, "bpi")).status_code == 404


def test_a_follow_up_is_read_against_the_baseline_on_the_list(therapist, client_record):
    record_series(client_record, "nprs", [{"1": 8}, {"1": 4}], recall="now")
    page = (
        logged_in(therapist).get(reverse("measures:list", args=[client_record.pk])).content.decode()
    )
    assert "Improved" in page
    assert "4 points against ≥ 2: met" in page


def test_it_refuses_a_date_before_the_client_was_born(therapist, client_record):
    response = post(
        therapist,
        client_record,
        "nprs",
        {"recall": "now", "item_1": "3", "taken_at": "1960-01-01T10:00"},
    )
    assert response.context["form"].errors["taken_at"] == [
        "The date taken is before the client's date of birth (1965-12-10). Check the year."
    ]
