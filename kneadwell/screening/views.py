"""Intake, visit check-in, clearance, treatment check and the override list. (Referral letters
are written by reports.)"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from kneadwell.accounts.decorators import owner_required
from kneadwell.audit.models import Action, log_access
from kneadwell.clients.access import get_client_for_user
from kneadwell.screening import enforce as enforcement
from kneadwell.screening.findings import current_findings, intake_summary
from kneadwell.screening.forms import (
    CheckinForm,
    ClearanceForm,
    IntakeForm,
    OverrideReasonForm,
    TreatmentFormSet,
)
from kneadwell.screening.models import Override


@login_required
def intake_new(request, pk):
    client = get_client_for_user(request, pk, clinical=True)
    previous = client.intakes.first()
    initial = IntakeForm.data_from_answers(previous.answers) if previous else {}
    initial.pop("consent", None)
    form = IntakeForm(request.POST or None, initial=initial, born=client.birth_date)
    if request.method == "POST" and form.is_valid():
        _, screening = enforcement.record_intake(client, form.answers(), request.user)
        log_access(request, Action.CREATE, "intake and screening", client)
        messages.success(request, f"Intake saved with {len(screening.findings)} finding(s).")
        return redirect(client)
    if request.method == "GET":
        log_access(request, Action.VIEW, "intake form", client)
    return render(request, "screening/intake_form.html", {"form": form, "client": client})


@login_required
def intake_detail(request, pk, intake_pk):
    client = get_client_for_user(request, pk, clinical=True)
    intake = get_object_or_404(client.intakes.select_related("created_by"), pk=intake_pk)
    log_access(request, Action.VIEW, "intake", client)
    context = {"client": client, "intake": intake, "summary": intake_summary(intake.answers)}
    return render(request, "screening/intake_detail.html", context)


@login_required
def checkin(request, pk):
    client = get_client_for_user(request, pk, clinical=True)
    previous = enforcement.latest_screening(client)
    if previous is None:
        messages.info(request, "Complete the intake first; the check-in repeats some of it.")
        return redirect("screening:intake_new", pk=client.pk)
    conditions = enforcement.rescreen_conditions(previous.answers)
    form = CheckinForm(request.POST or None, conditions=conditions)
    if request.method == "POST" and form.is_valid():
        screening = enforcement.record_checkin(client, previous, form.red_flags(), request.user)
        log_access(request, Action.CREATE, "visit check-in screening", client)
        new = screening.finding_ids() - previous.finding_ids()
        text = f"Check-in saved. {len(new)} new finding(s)." if new else "Check-in saved."
        messages.add_message(request, messages.WARNING if new else messages.SUCCESS, text)
        return redirect(client)
    log_access(request, Action.VIEW, "visit check-in form", client)
    context = {"form": form, "client": client, "conditions": conditions}
    return render(request, "screening/checkin.html", context)


@login_required
def clearance_new(request, pk):
    client = get_client_for_user(request, pk, clinical=True)
    findings, _ = current_findings(client)
    initial = {"physician_name": client.physician_name, "cleared_on": timezone.localdate()}
    form = ClearanceForm(request.POST or None, findings=findings, initial=initial)
    if request.method == "POST" and form.is_valid():
        form.instance.client, form.instance.recorded_by = client, request.user
        form.save()
        log_access(request, Action.CREATE, "physician clearance", client)
        messages.success(request, "Clearance recorded.")
        return redirect(client)
    log_access(request, Action.VIEW, "clearance form", client)
    return render(request, "screening/clearance_form.html", {"form": form, "client": client})


@login_required
def treatment_check(request, pk):
    client = get_client_for_user(request, pk, clinical=True)
    formset = TreatmentFormSet(request.POST or None, prefix="item")
    reason = OverrideReasonForm(request.POST or None)
    result = None
    if request.method == "POST" and formset.is_valid() and reason.is_valid():
        items = [item for form in formset if (item := form.item())]
        why = reason.cleaned_data["override_reason"]
        result = enforcement.enforce(client, items, override_reason=why, request=request)
    log_access(request, Action.VIEW, "safety findings (treatment check)", client)
    context = {"client": client, "formset": formset, "reason": reason, "result": result}
    return render(request, "screening/treatment_check.html", context)


@owner_required
def clinic_overrides(request):
    overrides = Override.objects.filter(client__clinic_id=request.membership.clinic_id)
    overrides = overrides.select_related("client", "by")
    page = Paginator(overrides, 50).get_page(request.GET.get("page"))
    if page.object_list:
        ids = ",".join(sorted({str(o.client_id) for o in page.object_list}))
        log_access(request, Action.LIST, f"override list: {ids}")
    return render(request, "screening/overrides.html", {"page": page})
