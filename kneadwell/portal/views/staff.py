"""The clinic's side of the portal: inviting a client (email or a desk code), revoking access,
and the portal's section of the chart. Every lookup goes through clients.access."""

import logging
import smtplib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from kneadwell.audit.models import Action, log_access
from kneadwell.clients.access import get_client_for_user
from kneadwell.portal import inbox, signin
from kneadwell.portal import intake as steps
from kneadwell.portal.forms import CloseCorrectionForm
from kneadwell.portal.models import (
    CorrectionRequest,
    DetailsChange,
    IntakeStatus,
    PortalAccount,
    PortalIntake,
)
from kneadwell.reports import views as reports_views
from kneadwell.screening import enforce as enforcement

logger = logging.getLogger(__name__)
MAIL_FAILED = (
    "The invitation could not be sent: the mail server did not answer. Try again later, or "
    "print a desk code instead."
)


def chart_section(client, sees_clinical: bool) -> dict:
    """The portal's part of the chart: access, and (for clinical staff) what came in."""
    section = {"account": PortalAccount.objects.filter(client=client).first()}
    section |= inbox.for_chart(client, sees_clinical)
    return {"portal": section}


def chart(request, pk):
    return reports_views.chart(request, pk, template="portal/staff/chart.html", extra=chart_section)


@login_required
def access(request, pk):
    client = get_client_for_user(request, pk)
    account = PortalAccount.objects.filter(client=client).first()
    log_access(request, Action.VIEW, "portal access", client)
    context = {"client": client, "account": account, "days": _days()}
    return render(request, "portal/staff/access.html", context)


@login_required
@require_POST
def invite(request, pk):
    client = get_client_for_user(request, pk)
    if not _may_invite(request, client, needs_email=True):
        return redirect("portal_staff:access", pk=client.pk)
    try:
        with transaction.atomic():
            account = PortalAccount.invite(client, request.user)
            signin.send_invitation(request, account)
            log_access(request, Action.CREATE, "portal invitation by email", client)
    except (smtplib.SMTPException, OSError):
        logger.warning("Portal invitation for client %s could not be sent", client.pk)
        messages.error(request, MAIL_FAILED)
        return redirect("portal_staff:access", pk=client.pk)
    messages.success(
        request, f"Invitation sent to {client.email}. It works once, within {_days()} days."
    )
    return redirect("portal_staff:access", pk=client.pk)


@login_required
@require_POST
def desk_code(request, pk):
    client = get_client_for_user(request, pk)
    if not _may_invite(request, client, needs_email=False):
        return redirect("portal_staff:access", pk=client.pk)
    with transaction.atomic():
        account = PortalAccount.invite(client, request.user)
        code = signin.issue_desk_code(account)
        log_access(request, Action.CREATE, "portal desk code", client)
    context = {"client": client, "code": code, "days": _days()}
    return render(request, "portal/staff/desk_code.html", context)


@login_required
@require_POST
def revoke(request, pk):
    client = get_client_for_user(request, pk)
    account = get_object_or_404(PortalAccount, client=client, revoked_at__isnull=True)
    account.revoke()
    log_access(request, Action.UPDATE, "portal access revoked", client)
    messages.success(request, "Portal access ended. Any open portal session has ended too.")
    return redirect("portal_staff:access", pk=client.pk)


@login_required
def intake(request, pk, intake_pk):
    """The intake the client sent, beside the record; accepting it makes the screening."""
    client = get_client_for_user(request, pk, clinical=True)
    record = get_object_or_404(PortalIntake, client=client, pk=intake_pk)
    form = steps.full_form(record.data, client)
    if request.method == "POST" and record.status == IntakeStatus.SUBMITTED and form.is_valid():
        with transaction.atomic():
            made, screening = enforcement.record_intake(client, form.answers(), request.user)
            record.accept(made, request.user)
            log_access(request, Action.CREATE, "intake and screening (from the portal)", client)
        messages.success(request, f"Intake accepted with {len(screening.findings)} finding(s).")
        return redirect(client)
    log_access(request, Action.VIEW, "portal intake", client)
    context = {"client": client, "record": record, "form": form} | inbox.intake_review(record, form)
    return render(request, "portal/staff/intake.html", context)


@login_required
@require_POST
def change_seen(request, pk, change_pk):
    client = get_client_for_user(request, pk)
    change = get_object_or_404(DetailsChange, client=client, pk=change_pk, seen_at=None)
    change.mark_seen(request.user)
    log_access(request, Action.UPDATE, "portal details change (seen)", client)
    return redirect(client)


@login_required
def correction(request, pk, request_pk):
    client = get_client_for_user(request, pk, clinical=True)
    asked = get_object_or_404(CorrectionRequest, client=client, pk=request_pk)
    form = CloseCorrectionForm(request.POST or None)
    if request.method == "POST" and asked.is_open and form.is_valid():
        asked.close(request.user, form.cleaned_data["answer"])
        log_access(request, Action.UPDATE, "portal correction request (closed)", client)
        messages.success(request, "Answered and closed. The client sees your answer.")
        return redirect(client)
    log_access(request, Action.VIEW, "portal correction request", client)
    context = {"client": client, "asked": asked, "form": form}
    return render(request, "portal/staff/correction.html", context)


def _days() -> int:
    return settings.KNEADWELL_PORTAL_INVITATION_DAYS


def _may_invite(request, client, *, needs_email: bool) -> bool:
    if client.is_archived:
        messages.error(request, "This record is archived. Restore it before inviting the client.")
        return False
    if needs_email and not client.email:
        messages.error(
            request,
            "There is no email address on the record. Add it under Edit details, or print a "
            "desk code for the client instead.",
        )
        return False
    return True
