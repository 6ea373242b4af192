"""Sign-in, staff and token forms, with messages a therapist can act on."""

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm

from kneadwell.accounts.models import FailedLogin, Role, User


class LoginForm(AuthenticationForm):
    """Email and password; too many failures in a row lock the account for a while."""

    username = forms.EmailField(
        label="Email", widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )

    error_messages = {
        "invalid_login": "That email and password do not match an active account. "
        "Check both and try again.",
        "inactive": "This account has been deactivated. Ask the clinic owner.",
        "locked": "Too many failed sign-ins. Wait %(minutes)s minutes, or ask the clinic owner.",
    }

    def clean(self):
        email = (self.cleaned_data.get("username") or "").lower()
        self.cleaned_data["username"] = email
        if email and FailedLogin.is_locked(email):
            raise forms.ValidationError(
                self.error_messages["locked"],
                code="locked",
                params={"minutes": settings.KNEADWELL_LOCKOUT_MINUTES},
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            if email:
                FailedLogin.objects.create(
                    email=email, address=self.request.META.get("REMOTE_ADDR")
                )
            raise
        FailedLogin.clear(email)
        return cleaned


class StaffCreateForm(forms.ModelForm):
    role = forms.ChoiceField(choices=Role.choices)
    password = forms.CharField(
        label="First password",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="Give it to them in person; they can change it after signing in.",
    )

    class Meta:
        model = User
        fields = ["first_name", "last_name", "email"]

    def clean_email(self):
        email = self.cleaned_data["email"].lower()
        if User.objects.filter(email=email).exists():
            raise forms.ValidationError("Someone already signs in with this email address.")
        return email

    def clean(self):
        cleaned = super().clean()
        password = cleaned.get("password")
        if password:
            user = User(
                email=cleaned.get("email", ""),
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
            try:
                password_validation.validate_password(password, user)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned


class StaffChangeForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)
    is_active = forms.BooleanField(
        label="Can sign in", required=False, help_text="Untick to deactivate; their notes remain."
    )


class TokenForm(forms.Form):
    name = forms.CharField(
        label="What is this token for?",
        max_length=100,
        help_text="For example: 'practice laptop export script'.",
    )
