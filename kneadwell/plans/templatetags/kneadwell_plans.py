"""Names for knowledge-base ids in plan and visit pages."""

from django import template

from kneadwell.knowledge.instruments.registry import load_instruments
from kneadwell.knowledge.loader import load_knowledge
from kneadwell.plans.forms import COMBINE_KINDS

register = template.Library()


@register.filter
def technique_name(technique_id: str) -> str:
    technique = load_knowledge().techniques.get(technique_id)
    return technique.name if technique else technique_id


@register.filter
def region_name(region_id: str) -> str:
    region = load_knowledge().body_regions.get(region_id)
    return region.name if region else region_id


@register.filter
def condition_name(condition_id: str) -> str:
    condition = load_knowledge().conditions.get(condition_id)
    return condition.name if condition else condition_id


@register.filter
def pressure_name(level) -> str:
    try:
        return load_knowledge().pressure_level(int(level)).name
    except (KeyError, ValueError, TypeError, StopIteration):
        return ""


@register.filter
def combine_name(kind: str) -> str:
    return dict(COMBINE_KINDS).get(kind, kind)


@register.filter
def adverse_name(kind: str) -> str:
    entry = load_knowledge().adverse_effect_types.get(kind)
    return entry.name if entry else kind


@register.filter
def instrument_names(instrument_ids) -> str:
    """Questionnaire ids as their short names: "NPRS, STarT Back"."""
    instruments = load_instruments()
    return ", ".join(
        instruments[i].short_name if i in instruments else i for i in instrument_ids or ()
    )
