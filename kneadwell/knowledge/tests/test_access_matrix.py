"""Every library page as anonymous, outsider, unassigned colleague, front desk, therapist and
owner. The library is reference for everyone signed in; rule adjustments belong to a clinic and
only its owner changes or reverts them (another clinic's adjustment is 404)."""

import pytest
from django.urls import reverse

from kneadwell.conftest import MEMBER_PAGE, Route, check_access
from kneadwell.knowledge.loader import load_knowledge
from kneadwell.knowledge.models import RuleAdjustment

ROUTES = [
    Route("index", lambda a: reverse("knowledge:index"), MEMBER_PAGE),
    Route("search", lambda a: reverse("knowledge:search"), MEMBER_PAGE),
    Route("conditions", lambda a: reverse("knowledge:conditions"), MEMBER_PAGE),
    Route("condition", lambda a: reverse("knowledge:condition", args=["sciatica"]), MEMBER_PAGE),
    Route("handout", lambda a: reverse("knowledge:handout", args=["sciatica"]), MEMBER_PAGE),
    Route("techniques", lambda a: reverse("knowledge:techniques"), MEMBER_PAGE),
    Route("technique", lambda a: reverse("knowledge:technique", args=["swedish"]), MEMBER_PAGE),
    Route("evidence", lambda a: reverse("knowledge:evidence"), MEMBER_PAGE),
    Route("sources", lambda a: reverse("knowledge:sources"), MEMBER_PAGE),
    Route("red flags", lambda a: reverse("knowledge:red_flags"), MEMBER_PAGE),
    Route("rules", lambda a: reverse("knowledge:rules"), MEMBER_PAGE),
    Route("rule", lambda a: reverse("knowledge:rule", args=[a.rule_id]), MEMBER_PAGE),
    Route("vocabulary", lambda a: reverse("knowledge:vocabulary"), MEMBER_PAGE),
    Route("adjust", lambda a: reverse("knowledge:rule_adjust", args=[a.rule_id]),
          (302, 200, 403, 403, 403, 200), method="post", body={}),
]  # fmt: skip


@pytest.fixture
def adjustment(clinic, owner):
    rule_id = next(r.id for r in load_knowledge().rules.values() if r.tier == "caution")
    return RuleAdjustment.objects.create(
        clinic=clinic, rule_id=rule_id, max_pressure=2, note="Lighter here.", changed_by=owner
    )


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_access(people, adjustment, route):
    check_access(people, route, adjustment)


def test_only_the_clinics_owner_reverts_its_adjustment(people, adjustment):
    route = Route("revert", lambda a: reverse("knowledge:adjustment_revert", args=[a.pk]),
                  (302, 404, 403, 403, 403, 302), method="post")  # fmt: skip
    check_access(people, route, adjustment)
    assert not RuleAdjustment.objects.exists()


def test_an_unknown_entry_is_404(people):
    route = Route("unknown", lambda a: reverse("knowledge:condition", args=["flu"]),
                  (302, 404, 404, 404, 404, 404))  # fmt: skip
    check_access(people, route, None)
