"""What the client's screening and questionnaires mean for a plan: read from the other apps."""

from kneadwell.knowledge.loader import load_knowledge
from kneadwell.measures.models import Response
from kneadwell.plans.build import Restrictions
from kneadwell.screening.enforce import enforce


def restrictions_for(client) -> Restrictions:
    """The newest screening's findings as what a plan may not include, and why."""
    # The same decision visit notes get: enforce() with no treatment yet records nothing.
    result = enforce(client, [])
    return restrictions_from(result.findings, result.message if result.blocked else "")


def restrictions_from(findings, blocked_reason: str = "") -> Restrictions:
    """Screening findings as what a plan may not include, and why (the scale demo plans from
    findings it evaluated itself)."""
    knowledge = load_knowledge()
    avoid_techniques, avoid_regions, positioning = {}, {}, []
    cap, cap_reason = None, ""
    for finding in findings:
        for r in finding.restrictions:
            why = f"{finding.name} ({finding.tier})"
            if r.kind == "avoid_technique" and r.regions is None:
                avoid_techniques.setdefault(r.technique, why)
            elif r.kind == "avoid_region":
                for region in r.regions or ():
                    for part in knowledge.region_and_descendants(region):
                        avoid_regions.setdefault(part, why)
            elif r.kind == "cap_pressure" and r.regions is None:
                if cap is None or r.max_pressure < cap:
                    cap, cap_reason = r.max_pressure, why
            elif r.kind in ("cap_pressure", "avoid_technique"):
                where = ", ".join(
                    knowledge.body_regions[x].name for x in r.regions if x in knowledge.body_regions
                )
                what = (
                    f"pressure no higher than {r.max_pressure}"
                    if r.max_pressure
                    else f"no {r.technique}"
                )
                positioning.append(f"{what} on {where or 'the affected area'} ({finding.name})")
            elif r.kind in ("positioning", "advice"):
                positioning.append(f"{r.advice} ({finding.name})")
    return Restrictions(
        avoid_techniques=avoid_techniques,
        avoid_regions=avoid_regions,
        max_pressure=cap,
        max_pressure_reason=cap_reason,
        positioning=tuple(positioning),
        blocked_reason=blocked_reason,
    )


def suggested_conditions(client) -> list[str]:
    """The conditions recorded at the newest intake, to pre-select the plan's condition."""
    intake = client.intakes.order_by("-id").first()
    return list(intake.answers.get("conditions", [])) if intake else []


def psfs_activities(client) -> list[str]:
    """The activities the client named on their newest PSFS, for goals tied to them."""
    response = (
        Response.objects.filter(client=client, instrument="psfs").order_by("-taken_at").first()
    )
    if response is None:
        return []
    return [name for name in response.context.get("activities", {}).values() if name]
