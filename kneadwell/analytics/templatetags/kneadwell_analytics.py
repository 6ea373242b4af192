"""Formatting the outcome tables' raw values for the page (the CSV keeps them raw)."""

from django import template

from kneadwell.analytics.outcomes import TOO_FEW

register = template.Library()


@register.filter
def cell(value, kind: str = "text") -> str:
    """``{{ value|cell:column.kind }}``: a share as "42%", a number to one decimal (whole
    numbers as they are), missing as "—"."""
    if value is None:
        return "not reached" if kind == "sessions" else "—"
    if value == TOO_FEW or isinstance(value, str):
        return str(value)
    if kind == "percent":
        return f"{value * 100:.0f}%"
    if kind in ("number", "sessions") and isinstance(value, float):
        return f"{value:g}" if value.is_integer() else f"{value:.1f}"
    return f"{value:g}" if isinstance(value, float) else str(value)


@register.filter
def session(value) -> str:
    """A quantile in sessions: "session 5", or "not reached" when the curve never got there."""
    return "not reached" if value is None else f"session {value:g}"


@register.filter
def too_few(value) -> bool:
    return value == TOO_FEW


@register.filter
def figure(report, key: str):
    """``{{ report|figure:"sessions" }}``: one figure of the report by its key."""
    return report.figure(key)
