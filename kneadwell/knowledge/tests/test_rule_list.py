"""The safety-rule list: every rule with the clinic's adjustment, in a fixed number of queries."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kneadwell.accounts.models import Clinic
from kneadwell.conftest import logged_in
from kneadwell.knowledge.loader import load_knowledge
from kneadwell.knowledge.models import RuleAdjustment

URL = reverse("knowledge:rules")


def test_it_shows_this_clinics_adjustments_only(clinic, therapist, outsider):
    RuleAdjustment.objects.create(clinic=clinic, rule_id="anticoagulant", tier="soon", note="x")
    ours = logged_in(therapist).get(URL).content.decode()
    theirs = logged_in(outsider).get(URL).content.decode()
    assert "Adjusted" in ours and "urgency soon" in ours
    assert "Adjusted" not in theirs


def test_it_marks_a_switched_off_rule(clinic, therapist):
    RuleAdjustment.objects.create(clinic=clinic, rule_id="antiplatelet", enabled=False, note="x")
    assert "Switched off" in logged_in(therapist).get(URL).content.decode()


def test_the_list_makes_a_fixed_number_of_queries(clinic, owner):
    browser = logged_in(owner)
    browser.get(URL)
    with CaptureQueriesContext(connection) as few:
        browser.get(URL)
    for rule_id in list(load_knowledge().rules)[:20]:
        RuleAdjustment.objects.create(clinic=clinic, rule_id=rule_id, tier="soon", note="x")
        RuleAdjustment.objects.create(
            clinic=Clinic.objects.create(name=rule_id), rule_id=rule_id, tier="soon", note="x"
        )
    with CaptureQueriesContext(connection) as more:
        browser.get(URL)
    assert len(more) == len(few)
