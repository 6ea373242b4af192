"""Visit notes: start (optionally from the last visit), autosave, save, sign, addenda."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from kneadwell.appointments.access import get_appointment_for_user
from kneadwell.audit.models import Action, log_access
from kneadwell.clients.access import get_client_for_user
from kneadwell.screening.findings import safety_summary
from kneadwell.visits import notes
from kneadwell.visits.access import get_visit_for_user
from kneadwell.visits.forms import AddendumForm, NoteForms
from kneadwell.visits.safety import check_safety

VISITS_PER_PAGE = 50


@login_required
def visit_list(request, client_pk):
    """Every visit note of the client, newest first, a page at a time (the chart shows the
    latest few)."""
    client = get_client_for_user(request, client_pk, clinical=True)
    visits = client.visits.select_related("therapist")
    page = Paginator(visits, VISITS_PER_PAGE).get_page(request.GET.get("page"))
    log_access(request, Action.LIST, "visit notes", client)
    return render(request, "visits/list.html", {"client": client, "page": page})


@login_required
@require_POST
def visit_start(request, client_pk):
    client = get_client_for_user(request, client_pk, clinical=True)
    from_last = "from_last" in request.POST
    warnings = notes.start_warnings(client)
    if warnings and "confirm" not in request.POST:
        context = {"client": client, "warnings": warnings, "from_last": from_last}
        return render(request, "visits/start_confirm.html", context)
    visit = notes.start_visit(client, request.user, from_last=from_last)
    log_access(request, Action.CREATE, "visit note (draft)", client)
    return redirect("visits:edit", client.pk, visit.pk)


@login_required
@require_POST
def visit_from_appointment(request, pk):
    """One action on an appointment: its visit note, started as a follow-up and linked to it."""
    appointment = get_appointment_for_user(request, pk)
    client = get_client_for_user(request, appointment.client_id, clinical=True)
    visit = notes.start_for_appointment(appointment, request.user)
    log_access(request, Action.CREATE, "visit note (draft, from appointment)", client)
    return redirect("visits:edit", client.pk, visit.pk)


@login_required
def visit_discard(request, client_pk, pk):
    visit = get_visit_for_user(request, client_pk, pk)
    if visit.is_signed:
        return redirect(visit)
    if visit.therapist_id != request.user.pk and not request.membership.is_owner:
        raise PermissionDenied(
            "Only the therapist who started this draft, or the owner, can discard it."
        )
    if request.method == "POST":
        with transaction.atomic():
            log_access(request, Action.ERASE, "visit note draft (discarded)", visit.client)
            visit.discard()
        messages.success(request, "The draft was discarded.")
        return redirect(visit.client)
    log_access(request, Action.VIEW, "visit note (draft, before discarding)", visit.client)
    return render(request, "visits/discard.html", {"visit": visit, "client": visit.client})


@login_required
def visit_edit(request, client_pk, pk):
    visit = get_visit_for_user(request, client_pk, pk)
    if visit.is_signed:
        return redirect(visit)
    posted = request.POST if request.method == "POST" else None
    note = NoteForms(visit, posted, conditions=notes.checkin_conditions(visit.client))
    if posted is None:
        log_access(request, Action.VIEW, "visit note (draft)", visit.client)
        return _edit_page(request, visit, note)
    signing = "sign" in request.POST
    answers = note.checkin_answers(signing=signing)
    today = note.checkin_today() if answers is not None else {}
    if answers is not None and notes.record_checkin(visit, answers, request.user, today):
        log_access(request, Action.CREATE, "visit check-in screening", visit.client)
    safety_errors = []
    if note.is_valid(signing=signing):
        reason = note.form.cleaned_data["override_reason"]
        safety_errors = check_safety(request, visit, note.treatment_rows(), reason, signing=signing)
        if not safety_errors:
            return _save(request, visit, note, signing=signing)
    notes.save_raw_draft(visit, request.POST)
    log_access(request, Action.UPDATE, "visit note (draft kept)", visit.client)
    return _edit_page(request, visit, note, safety_errors)


def _save(request, visit, note, *, signing: bool):
    notes.apply(visit, note.form, note.treatment_rows(), note.adverse_rows())
    notes.save_valid(visit)
    log_access(request, Action.UPDATE, "visit note", visit.client)
    if signing:
        notes.sign(visit, request.user)
        messages.success(request, "Note signed. Corrections are now addenda.")
        return redirect(visit)
    messages.success(request, "Draft saved.")
    return redirect("visits:edit", visit.client_id, visit.pk)


def _edit_page(request, visit, note, safety_errors=()):
    context = {
        "visit": visit,
        "client": visit.client,
        "note": note,
        "form": note.form,
        "treatment": note.treatment,
        "adverse": note.adverse,
        "checkin": note.checkin,
        "also_every_visit": notes.other_every_visit_measures(visit),
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
