"""The form renderer: every field rendered by one template (label, help, error, widget), and
what its label says about a field that need not be filled."""

from django import forms
from django.forms.renderers import TemplatesSetting


class KneadwellFormRenderer(TemplatesSetting):
    field_template_name = "core/field.html"


def optional_note(field: forms.Field, note: str) -> forms.Field:
    """Say when a not-required field is needed after all ("when consent is given"), or nothing
    (""), instead of "(optional)": a field the form asks for in some cases is not optional."""
    field.optional_note = note
    return field
