"""Portal forms in the client's words: what to fix, next to the field, everything typed kept."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils import timezone

from kneadwell.clients.models import Client
from kneadwell.portal.models import CODE_LENGTH, normalise_code

NUMBER = {"inputmode": "numeric", "pattern": "[0-9]*"}


class EmailForm(forms.Form):
    email = forms.EmailField(
        label="Your email address",
        help_text="The address the clinic has for you.",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": "Enter your email address.",
            "invalid": "Enter an email address like name@example.org.",
        },
    )


class BirthDateForm(forms.Form):
    """Date of birth as three boxes (day, month, year): easier on a phone than a date picker
    that starts today, and read out clearly by screen readers."""

    day = forms.IntegerField(
        label="Day",
        min_value=1,
        max_value=31,
        widget=forms.TextInput(attrs={**NUMBER, "autocomplete": "bday-day", "size": 2}),
    )
    month = forms.IntegerField(
        label="Month",
        min_value=1,
        max_value=12,
        widget=forms.TextInput(attrs={**NUMBER, "autocomplete": "bday-month", "size": 2}),
    )
    year = forms.IntegerField(
        label="Year",
        min_value=1900,
        widget=forms.TextInput(attrs={**NUMBER, "autocomplete": "bday-year", "size": 4}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        messages = {
            "day": "Enter the day you were born, from 1 to 31.",
            "month": "Enter the month you were born as a number, from 1 to 12.",
            "year": "Enter the year you were born with four digits, for example 1970.",
        }
        for name, text in messages.items():
            self.fields[name].error_messages.update(
                {"required": text, "invalid": text, "min_value": text, "max_value": text}
            )
        self.fields["year"].max_value = timezone.localdate().year

    @property
    def dob_fields(self) -> list[forms.BoundField]:
        return [self["day"], self["month"], self["year"]]

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            born = date(cleaned["year"], cleaned["month"], cleaned["day"])
        except ValueError:
            self.add_error("day", "That date does not exist. Check the day and the month.")
            return cleaned
        if born > timezone.localdate():
            self.add_error("year", "The date of birth cannot be in the future.")
        cleaned["birth_date"] = born
        return cleaned


class CodeForm(BirthDateForm):
    code = forms.CharField(
        label="The code from the clinic",
        help_text="Twelve letters and numbers, for example ABCD-EFGH-JKMN.",
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "characters"}
        ),
        error_messages={"required": "Enter the code the clinic gave you."},
    )
    field_order = ["code", "day", "month", "year"]

    def clean_code(self):
        code = normalise_code(self.cleaned_data["code"])
        if len(code) != CODE_LENGTH:
            raise forms.ValidationError(
                "The code has twelve letters and numbers. Check you typed all of it."
            )
        return code


class DetailsForm(forms.ModelForm):
    """Contact, emergency contact and physician, as the client keeps them up to date. (The email
    address is where sign-in links go: the clinic changes it, on request.)"""

    GROUPS = {
        "Your contact details": ["phone", "address_line", "city", "postal_code", "country"],
        "Who to call in an emergency": [
            "emergency_name",
            "emergency_relationship",
            "emergency_phone",
        ],
        "Your doctor": [
            "physician_name",
            "physician_practice",
            "physician_phone",
            "physician_email",
            "physician_address",
        ],
    }

    class Meta:
        model = Client
        fields = [
            "phone",
            "address_line",
            "city",
            "postal_code",
            "country",
            "emergency_name",
            "emergency_relationship",
            "emergency_phone",
            "physician_name",
            "physician_practice",
            "physician_phone",
            "physician_email",
            "physician_address",
        ]
        labels = {
            "phone": "Your phone number",
            "emergency_name": "Their name",
            "emergency_relationship": "Who they are to you",
            "emergency_phone": "Their phone number",
            "physician_name": "Your doctor's name",
            "physician_practice": "Their practice",
            "physician_phone": "The practice's phone number",
            "physician_email": "The practice's email address",
            "physician_address": "The practice's address",
        }
        error_messages = {
            "physician_email": {"invalid": "Enter an email address like name@example.org."}
        }

    def groups(self):
        return [(title, [self[name] for name in names]) for title, names in self.GROUPS.items()]

    def changes(self) -> dict[str, list[str]]:
        """Label -> [before, after] for every field the client changed."""
        return {
            str(self.fields[name].label): [str(self.initial.get(name) or ""), str(value or "")]
            for name in self.changed_data
            if (value := self.cleaned_data.get(name)) != self.initial.get(name)
        }


class CorrectionForm(forms.Form):
    text = forms.CharField(
        label="What should the clinic correct?",
        help_text="Say what is wrong and what it should say. The clinic answers here.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say what should be corrected."},
    )


class CloseCorrectionForm(forms.Form):
    answer = forms.CharField(
        label="What you did (the client sees this)",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say what you corrected, or why the record stays as it is."},
    )
