"""The owner's page choosing each instrument's missing-item rule for the clinic."""

from django.urls import reverse

from kneadwell.conftest import logged_in
from kneadwell.measures.models import InstrumentSetting, Response
from kneadwell.measures.tests.helpers import odi_answers

URL = reverse("measures:missing_rules")


def test_it_offers_only_instruments_with_a_choice_and_shows_the_defaults(owner):
    form = logged_in(owner).get(URL).context["form"]
    assert set(form.fields) == {"odi", "ndi", "rmdq", "fiqr", "zcq"}
    assert form["odi"].value() == "answered_max1"


def test_the_chosen_rule_is_used_for_new_scores_and_past_scores_keep_theirs(owner, client_record):
    before = Response.record(client_record, "odi", odi_answers(*[2] * 9))
    data = {
        "odi": "answered_max2",
        "ndi": "complete",
        "rmdq": "prorate_max2",
        "fiqr": "domain_prorate",
        "zcq": "subscale_max1",
    }
    assert logged_in(owner).post(URL, data).status_code == 302
    assert InstrumentSetting.rule_for(client_record.clinic_id, "odi") == "answered_max2"
    after = Response.record(client_record, "odi", odi_answers(*[2] * 8))
    before.refresh_from_db()
    assert (before.rule, after.rule) == ("answered_max1", "answered_max2")


def test_it_refuses_a_rule_the_instrument_does_not_have(owner):
    response = logged_in(owner).post(URL, {"odi": "zero"})
    assert "odi" in response.context["form"].errors
    assert not InstrumentSetting.objects.exists()


def test_another_clinics_choice_does_not_apply(outsider, client_record):
    logged_in(outsider).post(
        URL,
        {
            "odi": "answered_max2",
            "ndi": "complete",
            "rmdq": "complete",
            "fiqr": "complete",
            "zcq": "subscale_max2",
        },
    )
    assert InstrumentSetting.rule_for(client_record.clinic_id, "odi") == "answered_max1"
