"""Template helpers for rendering form fields the Kneadwell way."""

from django import forms, template

register = template.Library()


@register.filter
def is_checkbox(field) -> bool:
    return isinstance(field.field.widget, forms.CheckboxInput)
