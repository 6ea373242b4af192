"""Template helpers for portal pages: form fields described by their hint and error."""

from django import forms, template
from django.utils.html import format_html

register = template.Library()


def _described_by(field) -> str:
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}_helptext")
    if field.errors:
        ids.append(f"{field.auto_id}_error")
    return " ".join(ids)


@register.simple_tag
def widget(field):
    """The field's input, pointing screen readers at its hint and error message."""
    ids = _described_by(field)
    return field.as_widget(attrs={"aria-describedby": ids} if ids else None)


@register.simple_tag
def describedby(field):
    """An aria-describedby attribute for a fieldset (radio and checkbox groups)."""
    ids = _described_by(field)
    return format_html(' aria-describedby="{}"', ids) if ids else ""


@register.filter
def is_checkbox(field) -> bool:
    return isinstance(field.field.widget, forms.CheckboxInput)
