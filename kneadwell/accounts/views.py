"""Sign-in, the clinic's staff, and personal API tokens."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from kneadwell.accounts.decorators import owner_required
from kneadwell.accounts.forms import LoginForm, StaffChangeForm, StaffCreateForm, TokenForm
from kneadwell.accounts.models import ApiToken, Membership, Role


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


def _membership_for_owner(request, pk) -> Membership:
    """A membership in the owner's own clinic, else 404."""
    return get_object_or_404(
        Membership.objects.select_related("user"), pk=pk, clinic_id=request.membership.clinic_id
    )


@owner_required
def staff_list(request):
    staff = Membership.objects.filter(clinic_id=request.membership.clinic_id).select_related("user")
    return render(request, "accounts/staff_list.html", {"staff": staff})


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
    return render(request, "accounts/staff_form.html", {"form": form, "member": member})


@login_required
def tokens(request):
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        _, new_token = ApiToken.issue(request.user, form.cleaned_data["name"])
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
