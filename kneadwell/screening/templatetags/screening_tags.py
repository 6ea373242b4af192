"""Screening records in words on pages: findings by name, overrides as sentences."""

from django import template

from kneadwell.knowledge.loader import load_knowledge
from kneadwell.screening.engine import finding_name

register = template.Library()


@register.filter
def finding_names(finding_ids) -> str:
    """``{{ clearance.finding_ids|finding_names }}`` → "Anticoagulant medicine; Red flag (…)"."""
    knowledge = load_knowledge()
    return "; ".join(finding_name(i, knowledge) for i in finding_ids or ())


@register.filter
def override_text(override) -> str:
    """What an override let go ahead: "pressure 4 on the low back (lumbar)"."""
    knowledge = load_knowledge()
    region = knowledge.body_regions.get(override.region)
    technique = knowledge.techniques.get(override.technique)
    where = f" on the {region.name.lower()}" if region else ""
    if override.violation == "pressure":
        return f"pressure {override.pressure}{where}"
    if override.violation == "technique" and technique:
        return f"{technique.name}{where}"
    if override.violation == "region":
        return f"work{where}"
    return "treating despite the finding"


@register.filter(name="finding_name")
def finding_name_filter(finding_id: str) -> str:
    """``{{ override.finding_id|finding_name }}`` → "Anticoagulant medicine"."""
    return finding_name(finding_id, load_knowledge())
