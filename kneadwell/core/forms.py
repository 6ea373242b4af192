"""The form renderer: every field rendered by one template (label, help, error, widget)."""

from django.forms.renderers import TemplatesSetting


class KneadwellFormRenderer(TemplatesSetting):
    field_template_name = "core/field.html"
