"""Template helpers for rendering form fields the Kneadwell way."""

from django import forms, template

register = template.Library()


@register.filter
def is_checkbox(field) -> bool:
    return isinstance(field.field.widget, forms.CheckboxInput)


@register.filter
def optional_note(field) -> str:
    """What the label adds for a field that need not be filled: "optional" unless the form
    says otherwise (kneadwell.core.forms.optional_note); "" for a required field."""
    if field.field.required:
        return ""
    return getattr(field.field, "optional_note", "optional")
