"""A rule's page: the built-in default beside the clinic's adjustment; only owners adjust it,
with plain-language errors that keep what they typed, and only their clinic sees the result."""

import re

import pytest
from django.urls import reverse

from kneadwell.conftest import logged_in
from kneadwell.knowledge.forms import RuleAdjustmentForm
from kneadwell.knowledge.loader import load_knowledge
from kneadwell.knowledge.models import RuleAdjustment

RULE = "anticoagulant"  # caution, caps pressure at level 3
DETAIL = reverse("knowledge:rule", args=[RULE])
ADJUST = reverse("knowledge:rule_adjust", args=[RULE])


def _text(response):
    return response.content.decode()


@pytest.fixture
def adjustment(clinic, owner):
    return RuleAdjustment.objects.create(
        clinic=clinic,
        rule_id=RULE,
        tier="soon",
        max_pressure=2,
        note="Our physicians ask for lighter work on blood thinners.",
        changed_by=owner,
    )


def test_an_owner_adjusts_a_rule_for_the_clinic(clinic, owner):
    response = logged_in(owner).post(
        ADJUST, {"enabled": "on", "tier": "soon", "max_pressure": "2", "note": "Clinic policy."}
    )
    assert response.status_code == 302 and response["Location"] == DETAIL
    saved = RuleAdjustment.objects.get(clinic=clinic, rule_id=RULE)
    assert (saved.tier, saved.max_pressure, saved.changed_by) == ("soon", 2, owner)


def test_the_page_shows_the_built_in_default_beside_the_adjustment(owner, adjustment):
    page = _text(logged_in(owner).get(DETAIL))
    default, clinic_version = page.split('id="h-default"')[1].split('id="h-clinic"')
    assert "Pressure no higher than level 3" in default and "Caution" in default
    assert "Pressure no higher than level 2" in clinic_version and "Soon" in clinic_version
    assert "Our physicians ask for lighter work on blood thinners." in clinic_version


@pytest.mark.parametrize("role", ["therapist", "desk"])
def test_other_members_see_the_adjustment_read_only(request, role, adjustment):
    page = _text(logged_in(request.getfixturevalue(role)).get(DETAIL))
    assert "Our physicians ask for lighter work on blood thinners." in page
    assert "Save adjustment" not in page and "Revert" not in page
    assert "Only the clinic owner can adjust a safety rule." in page


@pytest.mark.parametrize("role", ["therapist", "colleague", "desk"])
def test_only_owners_may_adjust(request, role, clinic):
    user = request.getfixturevalue(role)
    response = logged_in(user).post(ADJUST, {"enabled": "on", "tier": "soon", "note": "x"})
    assert response.status_code == 403
    assert not RuleAdjustment.objects.exists()


@pytest.mark.parametrize("role", ["therapist", "desk"])
def test_only_owners_may_revert(request, role, adjustment):
    url = reverse("knowledge:adjustment_revert", args=[adjustment.pk])
    assert logged_in(request.getfixturevalue(role)).post(url).status_code == 403
    assert RuleAdjustment.objects.filter(pk=adjustment.pk).exists()


def test_anonymous_people_are_sent_to_sign_in(db, adjustment, client):
    for url in (ADJUST, reverse("knowledge:adjustment_revert", args=[adjustment.pk])):
        response = client.post(url, {"tier": "soon", "note": "x"})
        assert response["Location"].startswith(reverse("login"))


def test_another_clinic_neither_sees_nor_reverts_our_adjustment(outsider, adjustment):
    browser = logged_in(outsider)
    page = _text(browser.get(DETAIL))
    assert "Your clinic uses the built-in rule." in page
    assert "lighter work on blood thinners" not in page
    url = reverse("knowledge:adjustment_revert", args=[adjustment.pk])
    assert browser.post(url).status_code == 404
    assert RuleAdjustment.objects.filter(pk=adjustment.pk).exists()


def test_another_clinics_adjustment_is_its_own(outsider, clinic, adjustment):
    logged_in(outsider).post(ADJUST, {"enabled": "on", "max_pressure": "1", "note": "Ours."})
    adjustment.refresh_from_db()
    assert adjustment.max_pressure == 2
    theirs = RuleAdjustment.objects.exclude(clinic=clinic).get()
    assert (theirs.rule_id, theirs.max_pressure) == (RULE, 1)


def test_an_owner_reverts_to_the_built_in_rule(owner, adjustment):
    url = reverse("knowledge:adjustment_revert", args=[adjustment.pk])
    response = logged_in(owner).post(url)
    assert response["Location"] == DETAIL
    assert not RuleAdjustment.objects.exists()


def test_a_reason_is_required_and_everything_typed_is_kept(owner):
    response = logged_in(owner).post(ADJUST, {"tier": "urgent", "max_pressure": "1", "note": ""})
    page = _text(response)
    assert response.status_code == 200
    assert "Say why your clinic changes this rule" in page
    assert '<option value="urgent" selected>' in page
    assert '<option value="1" selected>' in page
    enabled = re.search(r'<input[^>]*name="enabled"[^>]*>', page).group(0)
    assert "checked" not in enabled
    assert not RuleAdjustment.objects.exists()


def test_a_change_identical_to_the_default_is_explained(owner):
    data = {"enabled": "on", "tier": "caution", "max_pressure": "3", "note": "No change"}
    page = _text(logged_in(owner).post(ADJUST, data))
    assert "This is the same as the built-in rule." in page
    assert not RuleAdjustment.objects.exists()


def test_a_rejected_change_is_not_shown_as_the_saved_adjustment(owner, adjustment):
    page = _text(logged_in(owner).post(ADJUST, {"enabled": "on", "tier": "urgent", "note": ""}))
    clinic_version = page.split('id="h-clinic"')[1].split('id="h-rule-sources"')[0]
    assert "Soon" in clinic_version and "Urgent" not in clinic_version


def test_an_owner_may_switch_a_caution_rule_off(clinic, owner):
    logged_in(owner).post(ADJUST, {"note": "We never see clients on blood thinners."})
    assert RuleAdjustment.objects.get(clinic=clinic).enabled is False
    page = _text(logged_in(owner).get(DETAIL))
    assert "This rule raises no findings for your clinic's clients." in page


def test_an_emergency_rule_cannot_be_switched_off_or_made_less_urgent(owner):
    # Emergencies are red flags today (never adjustable), and no built-in rule is one; should
    # the data gain an emergency rule, the form holds the line.
    rule = load_knowledge().rules["varicose_veins"].model_copy(update={"tier": "emergency"})
    form = RuleAdjustmentForm(
        {"tier": "urgent", "note": "Too strict"}, rule=rule, membership=owner.membership
    )
    assert not form.is_valid()
    assert form.errors["enabled"] == [
        "Emergency rules send the client to emergency care; keep this rule on."
    ]
    assert form.errors["tier"] == ["An emergency rule cannot be made less urgent."]
    assert not RuleAdjustment.objects.exists()


def test_a_rule_that_defers_the_session_cannot_be_switched_off(owner):
    url = reverse("knowledge:rule_adjust", args=["fever"])
    page = _text(logged_in(owner).post(url, {"tier": "soon", "note": "Too strict"}))
    assert "This rule defers the whole session (a systemic contraindication); keep it on." in page
    assert not RuleAdjustment.objects.exists()


def test_a_rule_without_a_pressure_cap_offers_no_pressure_field(owner):
    page = _text(logged_in(owner).get(reverse("knowledge:rule", args=["dvt_known"])))
    assert 'name="tier"' in page and 'name="max_pressure"' not in page
