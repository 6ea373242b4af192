"""Visit notes: start (optionally from the last visit), autosave, save, sign, addenda."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from kneadwell.audit.models import Action, log_access
from kneadwell.clients.access import get_client_for_user
from kneadwell.screening.findings import safety_summary
from kneadwell.visits import notes
from kneadwell.visits.access import get_visit_for_user
from kneadwell.visits.forms import AddendumForm, AdverseFormSet, TreatmentFormSet, VisitForm, rows
from kneadwell.visits.safety import check_safety


@login_required
@require_POST
def visit_start(request, client_pk):
    client = get_client_for_user(request, client_pk, clinical=True)
    visit = notes.start_visit(client, request.user, from_last="from_last" in request.POST)
    log_access(request, Action.CREATE, "visit note (draft)", client)
    return redirect("visits:edit", client.pk, visit.pk)


def _forms(visit, data=None):
    if data is None and visit.draft_data:
        data = QueryDict(mutable=True)
        for key, values in visit.draft_data.items():
            data.setlist(key, values)
    form = VisitForm(data, instance=visit)
    treatment = TreatmentFormSet(data, prefix="t", initial=visit.treatment or None)
    adverse = AdverseFormSet(data, prefix="ae", initial=visit.adverse_effects or None)
    return form, treatment, adverse


@login_required
def visit_edit(request, client_pk, pk):
    visit = get_visit_for_user(request, client_pk, pk)
    if visit.is_signed:
        return redirect(visit)
    form, treatment, adverse = _forms(visit, request.POST if request.method == "POST" else None)
    safety_errors = []
    if request.method == "POST":
        signing = "sign" in request.POST
        if form.is_valid() & treatment.is_valid() & adverse.is_valid():
            items, reason = rows(treatment), form.cleaned_data["override_reason"]
            safety_errors = check_safety(request, visit, items, reason, signing=signing)
            if not safety_errors:
                notes.apply(visit, form, items, rows(adverse))
                notes.save_valid(visit)
                log_access(request, Action.UPDATE, "visit note", visit.client)
                if signing:
                    notes.sign(visit, request.user)
                    messages.success(request, "Note signed. Corrections are now addenda.")
                    return redirect(visit)
                messages.success(request, "Draft saved.")
                return redirect("visits:edit", visit.client_id, visit.pk)
        notes.save_raw_draft(visit, request.POST)
        log_access(request, Action.UPDATE, "visit note (draft kept)", visit.client)
    else:
        log_access(request, Action.VIEW, "visit note (draft)", visit.client)
    context = {
        "visit": visit,
        "client": visit.client,
        "form": form,
        "treatment": treatment,
        "adverse": adverse,
        "safety_errors": safety_errors,
        "screening": safety_summary(visit.client),
    }
    return render(request, "visits/edit.html", context)


@login_required
@require_POST
def visit_autosave(request, client_pk, pk):
    """Keep what was typed, whether or not it validates yet; the page calls this as you type."""
    visit = get_visit_for_user(request, client_pk, pk)
    if visit.is_signed:
        return JsonResponse({"detail": "This note is signed; add an addendum."}, status=409)
    notes.save_raw_draft(visit, request.POST)
    log_access(request, Action.UPDATE, "visit note (autosave)", visit.client)
    return JsonResponse({"saved_at": visit.draft_saved_at.isoformat()})


@login_required
def visit_detail(request, client_pk, pk):
    visit = get_visit_for_user(request, client_pk, pk)
    if not visit.is_signed:
        return redirect("visits:edit", visit.client_id, visit.pk)
    log_access(request, Action.VIEW, "visit note", visit.client)
    context = {
        "visit": visit,
        "client": visit.client,
        "addendum_form": AddendumForm(),
        "addenda": visit.addenda.select_related("author"),
    }
    return render(request, "visits/detail.html", context)


@login_required
@require_POST
def visit_addendum(request, client_pk, pk):
    visit = get_visit_for_user(request, client_pk, pk)
    form = AddendumForm(request.POST)
    if not visit.is_signed:
        return redirect("visits:edit", visit.client_id, visit.pk)
    if form.is_valid():
        visit.addenda.create(author=request.user, text=form.cleaned_data["text"])
        log_access(request, Action.UPDATE, "visit note addendum", visit.client)
        messages.success(request, "Addendum added.")
        return redirect(visit)
    context = {
        "visit": visit,
        "client": visit.client,
        "addendum_form": form,
        "addenda": visit.addenda.select_related("author"),
    }
    return render(request, "visits/detail.html", context)
