"""A condition's page: codes, measures, evidence, red flags, rules, plan and a handout link."""

import html

from django.urls import reverse

from kneadwell.conftest import logged_in
from kneadwell.knowledge.loader import load_knowledge

KNOWLEDGE = load_knowledge()


def _page(user, condition_id):
    url = reverse("knowledge:condition", args=[condition_id])
    return html.unescape(logged_in(user).get(url).content.decode())


def test_it_shows_codes_symptoms_and_measures(therapist):
    page = _page(therapist, "lss_with_nc")
    assert "M48.062" in page
    assert "Walking distance limited by leg symptoms" in page
    assert "ZCQ" in page or "Zurich" in page


def test_it_lists_its_evidence_red_flags_and_plan(therapist):
    page = _page(therapist, "sciatica")
    for statement in KNOWLEDGE.evidence_for("sciatica"):
        assert f'id="evidence-{statement.id}"' in page
    for flag in KNOWLEDGE.red_flags_for("sciatica"):
        assert f'id="flag-{flag.id}"' in page
    assert KNOWLEDGE.plan_for("sciatica").role in page
    assert reverse("knowledge:handout", args=["sciatica"]) in page


def test_a_rescreened_condition_says_to_ask_again_every_visit(therapist):
    assert "again at <strong>every visit</strong>" in _page(therapist, "sciatica")
    assert "again at <strong>every visit</strong>" not in _page(therapist, "chronic_neck_pain")


def test_a_proposed_convention_is_called_one(therapist):
    assert KNOWLEDGE.plan_for("chronic_lbp").convention
    assert "proposed convention</strong>, not a guideline" in _page(therapist, "chronic_lbp")
