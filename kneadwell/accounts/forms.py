"""Sign-in, staff and token forms, with messages a therapist can act on."""

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone

from kneadwell.accounts.models import ApiToken, Clinic, Role, User


class LoginForm(AuthenticationForm):
    """Email and password; too many failures in a row lock the account for a while (axes)."""

    username = forms.EmailField(
        label="Email", widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )

    error_messages = {
        "invalid_login": "That email and password do not match an active account. "
        "Check both and try again.",
        "inactive": "This account has been deactivated. Ask the clinic owner.",
        "locked": "Too many failed sign-ins. Wait %(minutes)s minutes, or ask the clinic owner "
        "to unlock your account.",
    }

    def clean(self):
        self.cleaned_data["username"] = (self.cleaned_data.get("username") or "").lower()
        try:
            return super().clean()
        except forms.ValidationError:
            # django-axes marks the request when this try locked the account, or it was locked.
            if getattr(self.request, "axes_locked_out", False):
                raise forms.ValidationError(
                    self.error_messages["locked"],
                    code="locked",
                    params={"minutes": settings.KNEADWELL_LOCKOUT_MINUTES},
                ) from None
            raise


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
    expires_on = forms.DateField(
        label="Stops working on (optional)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Leave empty for a token that works until you revoke it.",
    )

    def clean_expires_on(self):
        day = self.cleaned_data["expires_on"]
        if day is not None and day <= timezone.localdate():
            raise forms.ValidationError("Choose a day after today.")
        return day


class CodeForm(forms.Form):
    """The second step of signing in: a code from the app or one recovery code."""

    code = forms.CharField(
        label="Code from your authenticator app, or a recovery code",
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
    )


class AppCodeForm(forms.Form):
    """Confirming a newly added authenticator app with the code it now shows."""

    code = forms.CharField(
        label="The six-digit code your app shows",
        max_length=10,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )


class RevokeTokensMixin(forms.Form):
    """A password change or reset also offers to revoke the person's API tokens."""

    revoke_tokens = forms.BooleanField(
        label="Also revoke all my API tokens",
        required=False,
        help_text="Tick this if a token might be known to someone else; "
        "programs using them will need new ones.",
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        if not ApiToken.objects.filter(user=user, revoked_at__isnull=True).exists():
            del self.fields["revoke_tokens"]

    def save(self, commit=True):
        user = super().save(commit)
        if self.cleaned_data.get("revoke_tokens"):
            self.revoked = ApiToken.revoke_all(user)
        return user


class PasswordChangeForm(RevokeTokensMixin, auth_forms.PasswordChangeForm):
    pass


class SetPasswordForm(RevokeTokensMixin, auth_forms.SetPasswordForm):
    pass


class ResetRequestForm(auth_forms.PasswordResetForm):
    """Asking for a reset link: the answer is the same whether or not the address is known."""

    email = forms.EmailField(
        label="Email", max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )

    def get_users(self, email):
        """Active people with an active membership; the link never goes to anyone else."""
        return (
            user
            for user in super().get_users(email)
            if getattr(user, "membership", None) is not None and user.membership.is_active
        )

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        context["minutes"] = settings.KNEADWELL_RESET_LINK_MINUTES
        context["clinic"] = context["user"].membership.clinic.name
        super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)


RESET_EMAIL = "accounts/email/password_reset.txt"
RESET_SUBJECT = "accounts/email/password_reset_subject.txt"


def send_reset_link(request, email: str) -> None:
    """Email a reset link to the person with this address (an owner's button on the staff page)."""
    form = ResetRequestForm({"email": email})
    if form.is_valid():
        form.save(
            request=request,
            use_https=request.is_secure(),
            email_template_name=RESET_EMAIL,
            subject_template_name=RESET_SUBJECT,
        )


class ClinicTwoFactorForm(forms.ModelForm):
    class Meta:
        model = Clinic
        fields = ["requires_two_factor"]
        labels = {"requires_two_factor": "Require two-factor sign-in for everyone"}
