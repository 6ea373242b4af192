"""Sign-in (password, two-factor, forgotten password), the clinic's staff, and API tokens."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from kneadwell.accounts import two_factor
from kneadwell.accounts.decorators import owner_required
from kneadwell.accounts.forms import (
    RESET_EMAIL,
    RESET_SUBJECT,
    AppCodeForm,
    ClinicTwoFactorForm,
    CodeForm,
    LoginForm,
    PasswordChangeForm,
    ResetRequestForm,
    SetPasswordForm,
    StaffChangeForm,
    StaffCreateForm,
    TokenForm,
    send_reset_link,
)
from kneadwell.accounts.lockout import is_locked, unlock
from kneadwell.accounts.models import ApiToken, Membership, ResetRequest, Role

WRONG_CODE = (
    "That code is not right. App codes change every 30 seconds; a recovery code works only once."
)
WRONG_APP_CODE = (
    "That code does not match. Check that your phone's clock is right and type the code the "
    "app shows now."
)
TOO_MANY_RESETS = (
    "There have been too many requests for reset links. Wait an hour and try again, or ask the "
    "clinic owner to send you one."
)
TWO_FACTOR_REQUIRED = (
    "Everyone now needs two-factor sign-in; members without it set it up before they carry on."
)
TWO_FACTOR_OPTIONAL = "Two-factor sign-in is now each person's choice."


class LoginView(auth_views.LoginView):
    """The password step; people with an authenticator app then give a code (login_code)."""

    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if two_factor.has_app(user):
            two_factor.hold(self.request, user, self.get_success_url())
            return redirect("login_code")
        response = super().form_valid(form)
        if two_factor.should_prompt(user) and not two_factor.is_required(user):
            two_factor.mark_prompted(user)
            self.request.session[two_factor.NEXT] = self.get_success_url()
            return redirect(f"{reverse('two_factor')}?prompt=1")
        return response


@never_cache
def login_code(request):
    """The second step of signing in: a code from the app, or one recovery code."""
    if two_factor.held_user(request) is None:
        messages.info(request, "Sign in with your email and password first.")
        return redirect("login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if two_factor.complete(request, form.cleaned_data["code"]):
            return redirect(two_factor.next_url(request) or settings.LOGIN_REDIRECT_URL)
        if two_factor.held_user(request) is None:
            messages.error(request, "Too many wrong codes. Sign in again.")
            return redirect("login")
        form.add_error("code", WRONG_CODE)
    return render(request, "accounts/login_code.html", {"form": form})


@never_cache
@login_required
def two_factor_setup(request):
    """Set up the authenticator app (then show recovery codes once), or manage it."""
    if two_factor.has_app(request.user):
        context = {"codes_left": two_factor.recovery_codes_left(request.user)}
        return render(request, "accounts/two_factor.html", context)
    device = two_factor.pending_app(request.user)
    form = AppCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = two_factor.confirm_app(device, form.cleaned_data["code"])
        if codes is not None:
            otp_login(request, device)
            context = {"codes": codes, "next": two_factor.next_url(request)}
            return render(request, "accounts/recovery_codes.html", context)
        form.add_error("code", WRONG_APP_CODE)
    context = {
        "form": form,
        "qr": two_factor.qr_svg(device),
        "secret": two_factor.secret_text(device),
        "prompt": request.GET.get("prompt") and not two_factor.is_required(request.user),
        "next": request.session.get(two_factor.NEXT) or reverse(settings.LOGIN_REDIRECT_URL),
    }
    return render(request, "accounts/two_factor.html", context)


@never_cache
@login_required
@require_POST
def recovery_codes_renew(request):
    if not two_factor.has_app(request.user):
        return redirect("two_factor")
    codes = two_factor.new_recovery_codes(request.user)
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "renewed": True})


@login_required
@require_POST
def two_factor_off(request):
    if two_factor.is_required(request.user):
        messages.error(request, "Your clinic requires two-factor sign-in, so it stays on.")
    else:
        two_factor.turn_off(request.user)
        messages.success(request, "Two-factor sign-in is off. Your password alone now signs in.")
    return redirect("two_factor")


class PasswordChangeView(auth_views.PasswordChangeView):
    """Changing the password ends the person's other sessions (Django checks each session
    against the password) and offers to revoke their API tokens."""

    form_class = PasswordChangeForm
    template_name = "accounts/password.html"
    success_url = reverse_lazy("clients:list")

    def form_valid(self, form):
        response = super().form_valid(form)
        revoked = getattr(form, "revoked", 0)
        text = "Your password is changed; you were signed out everywhere else."
        if revoked:
            text += f" API tokens revoked: {revoked}."
        messages.success(self.request, text)
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """Forgot password: the same answer, no sooner than a set time, known address or not."""

    form_class = ResetRequestForm
    template_name = "accounts/password_reset.html"
    email_template_name = RESET_EMAIL
    subject_template_name = RESET_SUBJECT

    def form_valid(self, form):
        started = time.monotonic()
        email, address = form.cleaned_data["email"], self.request.META.get("REMOTE_ADDR")
        if ResetRequest.is_limited(email, address):
            form.add_error(None, TOO_MANY_RESETS)
            return self.form_invalid(form)
        ResetRequest.note(email, address)
        response = super().form_valid(form)
        _answer_no_sooner(started, settings.KNEADWELL_RESET_ANSWER_MS)
        return response


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(minutes=settings.KNEADWELL_RESET_LINK_MINUTES, **kwargs)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """The link from the email: works once (the token changes with the password), expires."""

    form_class = SetPasswordForm
    template_name = "accounts/password_reset_confirm.html"

    def form_valid(self, form):
        response = super().form_valid(form)
        unlock(form.user.email)
        return response


def _membership_for_owner(request, pk) -> Membership:
    """A membership in the owner's own clinic, else 404."""
    return get_object_or_404(
        Membership.objects.select_related("user"), pk=pk, clinic_id=request.membership.clinic_id
    )


def _answer_no_sooner(started: float, floor_ms: int) -> None:
    """Wait until `floor_ms` after `started` (time.monotonic), so timing reveals nothing."""
    remaining = started + floor_ms / 1000 - time.monotonic()
    if remaining > 0:
        time.sleep(remaining)


@owner_required
def staff_list(request):
    staff = (
        Membership.objects.filter(clinic_id=request.membership.clinic_id)
        .select_related("user")
        .annotate(two_factor=two_factor.app_confirmed_for("user"))
    )
    form = ClinicTwoFactorForm(instance=request.membership.clinic)
    return render(request, "accounts/staff_list.html", {"staff": staff, "form": form})


@owner_required
@require_POST
def staff_two_factor(request):
    """The owner requires two-factor sign-in for everyone in the clinic, or stops requiring it."""
    form = ClinicTwoFactorForm(request.POST, instance=request.membership.clinic)
    if form.is_valid():
        clinic = form.save()
        required = clinic.requires_two_factor
        messages.success(request, TWO_FACTOR_REQUIRED if required else TWO_FACTOR_OPTIONAL)
    return redirect("staff")


@owner_required
@require_POST
def staff_unlock(request, pk):
    member = _membership_for_owner(request, pk)
    unlock(member.user.email)
    messages.success(request, f"{member.user} can sign in again.")
    return redirect("staff_edit", pk=member.pk)


@owner_required
@require_POST
def staff_two_factor_off(request, pk):
    """For a member who lost both phone and recovery codes; if the clinic requires two-factor
    sign-in, they set it up again at their next sign-in."""
    member = _membership_for_owner(request, pk)
    two_factor.turn_off(member.user)
    messages.success(request, f"Two-factor sign-in is off for {member.user}.")
    return redirect("staff_edit", pk=member.pk)


@owner_required
@require_POST
def staff_send_reset(request, pk):
    member = _membership_for_owner(request, pk)
    send_reset_link(request, member.user.email)
    minutes = settings.KNEADWELL_RESET_LINK_MINUTES
    messages.success(
        request,
        f"A password reset link is on its way to {member.user.email}; it works once, within "
        f"{minutes} minutes.",
    )
    return redirect("staff_edit", pk=member.pk)


@owner_required
def staff_add(request):
    form = StaffCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = form.save(commit=False)
            user.set_password(form.cleaned_data["password"])
            user.save()
            Membership.objects.create(
                user=user, clinic_id=request.membership.clinic_id, role=form.cleaned_data["role"]
            )
        messages.success(request, f"{user} can now sign in.")
        return redirect("staff")
    return render(request, "accounts/staff_form.html", {"form": form, "adding": True})


@owner_required
def staff_edit(request, pk):
    member = _membership_for_owner(request, pk)
    initial = {"role": member.role, "is_active": member.is_active}
    form = StaffChangeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        role, active = form.cleaned_data["role"], form.cleaned_data["is_active"]
        if member == request.membership and (role != Role.OWNER or not active):
            form.add_error("role", "You cannot remove your own owner role or deactivate yourself.")
        else:
            member.role, member.is_active = role, active
            member.save(update_fields=["role", "is_active"])
            member.user.is_active = active
            member.user.save(update_fields=["is_active"])
            messages.success(request, f"Saved changes for {member.user}.")
            return redirect("staff")
    context = {
        "form": form,
        "member": member,
        "locked": is_locked(request, member.user.email),
        "two_factor": two_factor.has_app(member.user),
    }
    return render(request, "accounts/staff_form.html", context)


@login_required
def tokens(request):
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        _, new_token = ApiToken.issue(request.user, **form.cleaned_data)
        form = TokenForm()
    context = {"form": form, "new_token": new_token, "tokens": request.user.api_tokens.all()}
    return render(request, "accounts/tokens.html", context)


@login_required
@require_POST
def token_revoke(request, pk):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user, revoked_at__isnull=True)
    token.revoke()
    messages.success(request, f"Token “{token.name}” no longer works.")
    return redirect("tokens")
