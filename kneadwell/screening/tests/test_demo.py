"""Demo intakes: most clients screened, conditions spread, cautions and one urgent finding."""

import random

from kneadwell.demo.clinic import create_demo
from kneadwell.screening.demo import populate
from kneadwell.screening.models import Intake, Screening


def test_it_gives_most_demo_clients_an_intake_with_a_spread_of_findings(db):
    clinic = create_demo().clinic  # create_demo calls populate
    # The working clients (the outcomes history's synthetic clients are archived).
    working = clinic.clients.filter(archived_at__isnull=True)
    assert Intake.objects.count() >= working.count() * 2 // 3
    conditions = {c for i in Intake.objects.all() for c in i.answers["conditions"]}
    assert {
        "lss_with_nc",
        "sciatica",
        "chronic_lbp",
        "chronic_neck_pain",
        "fibromyalgia",
    } <= conditions
    tiers = [f["tier"] for s in Screening.objects.all() for f in s.findings]
    assert tiers.count("urgent") >= 1
    assert "caution" in tiers
    assert any(f["id"] == "rule:anticoagulant" for s in Screening.objects.all() for f in s.findings)
    assert populate(clinic, random.Random(1)) == 0  # running it again changes nothing
