"""The client record form: plain-language errors next to each field, nothing typed is lost."""

from django import forms

from kneadwell.accounts.models import Role, User
from kneadwell.clients import search
from kneadwell.clients.models import Client
from kneadwell.core.forms import RecordChoices, optional_note
from kneadwell.core.validators import past_date

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ClientForm(forms.ModelForm):
    class Meta:
        model = Client
        fields = [
            "given_names",
            "family_name",
            "preferred_name",
            "birth_date",
            "gender",
            "sex_at_birth",
            "gender_identity",
            "pronouns",
            "phone",
            "email",
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
            "consent_treatment",
            "consent_treatment_date",
            "consent_data",
            "consent_data_date",
            "consent_share",
            "consent_share_date",
            "therapists",
        ]
        field_classes = {"therapists": RecordChoices}
        widgets = {
            "birth_date": DATE,
            "consent_treatment_date": DATE,
            "consent_data_date": DATE,
            "consent_share_date": DATE,
            "therapists": forms.CheckboxSelectMultiple,
        }
        error_messages = {
            "birth_date": {
                "required": "Enter the client's date of birth.",
                "invalid": "Enter the date of birth as a date, for example 1970-05-31.",
            },
            "given_names": {"required": "Enter the client's given name."},
            "family_name": {"required": "Enter the client's family name."},
            "email": {"invalid": "Enter an email address like name@example.org."},
            "physician_email": {"invalid": "Enter an email address like name@example.org."},
        }

    def __init__(self, *args, membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.membership = membership
        therapists = User.objects.filter(
            membership__clinic_id=membership.clinic_id,
            membership__role__in=[Role.THERAPIST, Role.OWNER],
            membership__is_active=True,
        )
        self.fields["therapists"].queryset = therapists
        self.fields["therapists"].help_text = "Therapists who treat this client and see the chart."
        if membership.is_therapist:
            # A therapist always stays on the clients they create or edit.
            self.fields["therapists"].required = False
        self.fields[
            "consent_share"
        ].help_text = "Needed to email documents to the physician named above."
        for name in ("consent_treatment_date", "consent_data_date", "consent_share_date"):
            self.fields[name].error_messages["invalid"] = "Enter the date, for example 2026-01-31."
            optional_note(self.fields[name], "when consent is given")

    def clean_birth_date(self):
        return past_date(self.cleaned_data["birth_date"], "the date of birth")

    def clean(self):
        cleaned = super().clean()
        pairs = [
            ("consent_treatment", "consent_treatment_date", "treatment"),
            ("consent_data", "consent_data_date", "data processing"),
            ("consent_share", "consent_share_date", "sharing with their physician"),
        ]
        for flag, when, label in pairs:
            if not cleaned.get(flag) and cleaned.get(when):
                if getattr(self.instance, flag, False):
                    # Withdrawn: no consent stands, so no date of one (a withdrawn consent must
                    # not read as given on that date); the access log keeps the change.
                    cleaned[when] = None
                else:
                    self.add_error(
                        flag, f"Tick this if the client consented to {label}, or clear the date."
                    )
                continue
            if cleaned.get(flag) and not cleaned.get(when) and when not in self.errors:
                self.add_error(when, f"Give the date the client consented to {label}.")
            if cleaned.get(when):
                try:
                    past_date(cleaned[when], "the consent date", born=cleaned.get("birth_date"))
                except forms.ValidationError as error:
                    self.add_error(when, error)
        if not self.membership.is_therapist and not cleaned.get("therapists"):
            self.add_error("therapists", "Assign at least one therapist.")
        return cleaned

    def save(self, commit=True):
        client = super().save(commit=False)
        client.clinic_id = self.membership.clinic_id
        if commit:
            client.save()
            self.save_m2m()
            if self.membership.is_therapist:
                client.therapists.add(self.membership.user)
        return client


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Find a client",
        required=False,
        max_length=100,
        help_text=(
            "A name (Family, Given or Given Family, or their first letters), a phone number, "
            "or a date of birth day first: 31/05/1970, 1970-05-31, 05/1970 or 1970."
        ),
        error_messages={"max_length": "Type at most 100 characters: a name, a phone or a date."},
    )

    def clean_q(self):
        text = self.cleaned_data["q"]
        try:
            search.parse(text)
        except search.SearchError as error:
            raise forms.ValidationError(str(error)) from None
        return text


class EraseForm(forms.Form):
    confirm = forms.CharField(label="Type the client's full name to confirm", max_length=300)

    def __init__(self, *args, client, **kwargs):
        super().__init__(*args, **kwargs)
        self.expected = f"{client.given_names} {client.family_name}"

    def clean_confirm(self):
        typed = " ".join(self.cleaned_data["confirm"].split())
        if typed.lower() != self.expected.lower():
            raise forms.ValidationError(
                f"Type the full name exactly as shown ({self.expected}) to erase this record."
            )
        return typed
