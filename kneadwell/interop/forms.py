"""Bringing a FHIR record in: the file, then the confirmed preview."""

import json

from django import forms

MAX_BYTES = 5_000_000


class BundleForm(forms.Form):
    """A FHIR R4 Bundle as a JSON file, or (after the preview) the same JSON sent back."""

    file = forms.FileField(
        label="FHIR Bundle (JSON file)",
        required=False,
        help_text="A Bundle with the Patient, their Conditions and QuestionnaireResponses.",
    )
    bundle = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload is not None and upload.size > MAX_BYTES:
            raise forms.ValidationError({"file": "The file is larger than 5 MB."})
        text = upload.read().decode("utf-8", "replace") if upload else data.get("bundle", "")
        if not text:
            raise forms.ValidationError({"file": "Choose a FHIR Bundle file to import."})
        try:
            data["parsed"] = json.loads(text)
        except ValueError:
            raise forms.ValidationError({"file": "The file is not JSON."}) from None
        data["text"] = text
        return data
