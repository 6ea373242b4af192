"""Template helpers for the library: words for codes, entries by id, rules in sentences."""

from django import template

from kneadwell.knowledge import library
from kneadwell.knowledge.loader import load_knowledge

register = template.Library()


@register.filter
def label(code: str | None) -> str:
    """``{{ statement.direction|label }}`` → "Insufficient evidence"."""
    return library.label(code)


@register.filter
def entry(entry_id: str, table: str):
    """``{{ planned.technique|entry:"techniques" }}`` → the Technique, or None."""
    return getattr(load_knowledge(), table).get(entry_id)


@register.filter
def entry_url(entry_id: str, table: str) -> str:
    """``{{ rule.id|entry_url:"rules" }}`` → the library page that shows the entry."""
    return library.entry_url(table, entry_id, load_knowledge())


@register.filter
def trigger_text(trigger) -> str:
    return library.trigger_text(load_knowledge(), trigger)


@register.filter
def effect_text(effect) -> str:
    return library.effect_text(load_knowledge(), effect)


@register.filter
def pressure_name(level: int) -> str:
    return load_knowledge().pressure_level(level).name


@register.filter
def instrument_name(instrument_id: str) -> str:
    return library.instrument_names().get(instrument_id, instrument_id.upper())


@register.filter
def tier_meaning(tier: str) -> str:
    return library.tier_meaning(load_knowledge(), tier)


@register.filter
def certainty_text(statement) -> str:
    """``{{ statement|certainty_text }}`` → "Low to very low"."""
    return library.certainty_text(statement)


@register.filter
def cue_text(cue) -> str:
    return library.cue_text(load_knowledge(), cue)


@register.inclusion_tag("knowledge/partials/sources.html")
def cited(source_ids: list[str]) -> dict:
    """The citations of these sources, with year and link."""
    sources = load_knowledge().sources
    return {"sources": [sources[source_id] for source_id in source_ids]}
