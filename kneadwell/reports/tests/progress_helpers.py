"""Small builders for the progress, reassessment and discharge tests: a plan with a version,
and signed visits on given days."""

from datetime import date

from kneadwell.plans.models import Plan
from kneadwell.visits.models import Visit


def make_plan(client, therapist, *, after_visits=4, after_weeks=4, measures=None, goals=None):
    plan = Plan.objects.create(
        clinic_id=client.clinic_id,
        client=client,
        condition="chronic_lbp",
        template="chronic_lbp_plan",
        created_by=therapist,
    )
    version = plan.versions.create(
        number=1,
        created_by=therapist,
        goals=goals if goals is not None else [{"text": "Garden for an hour", "psfs_activity": ""}],
        techniques=["swedish"],
        max_pressure=3,
        reassess_after_visits=after_visits,
        reassess_after_weeks=after_weeks,
        measures=measures
        or {"baseline": ["nprs", "rmdq"], "every_visit": ["nprs"], "periodic": ["rmdq"]},
    )
    return plan, version


def sign_visits(client, therapist, version, days: list[date]) -> list[Visit]:
    visits = []
    for day in days:
        visit = Visit.objects.create(
            clinic_id=client.clinic_id,
            client=client,
            therapist=therapist,
            plan_version=version,
            visit_date=day,
        )
        visit.sign(therapist)
        visits.append(visit)
    return visits
