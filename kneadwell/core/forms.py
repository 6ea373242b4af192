"""The form renderer: every field rendered by one template (label, help, error, widget), and
what its label says about a field that need not be filled."""

from django import forms
from django.forms.renderers import TemplatesSetting

from kneadwell.core.validators import MAX_ID


class KneadwellFormRenderer(TemplatesSetting):
    field_template_name = "core/field.html"


def optional_note(field: forms.Field, note: str) -> forms.Field:
    """Say when a not-required field is needed after all ("when consent is given"), or nothing
    (""), instead of "(optional)": a field the form asks for in some cases is not optional."""
    field.optional_note = note
    return field


class RecordChoices(forms.ModelMultipleChoiceField):
    """Records chosen by id (the therapists of a client): an id beyond the database's 64-bit
    keys is "not one of the options", like any other id not offered, instead of an overflow."""

    def _check_values(self, value):
        for pk in value:
            try:
                number = int(str(pk))
            except ValueError:
                continue  # Django's own check names a value that is not an id
            if not 1 <= number <= MAX_ID:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super()._check_values(value)
