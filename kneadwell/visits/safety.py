"""Screening enforcement for visit notes, on save and on sign (kneadwell.screening.enforce)."""

from kneadwell.screening.enforce import enforce


def check_safety(request, visit, items: list[dict], reason: str, *, signing: bool) -> list[str]:
    """What the screening forbids in this note, in words; empty when allowed or overridden."""
    result = enforce(visit.client, items, override_reason=reason or None, request=request)
    if result.allowed:
        return []
    return [result.message] + [v.message for v in result.violations]
