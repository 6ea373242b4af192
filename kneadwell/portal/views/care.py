"""My progress and my care: what the client can read about their own course."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from kneadwell.analytics import outlook
from kneadwell.appointments.models import Status
from kneadwell.audit.models import Action, log_client_access
from kneadwell.plans.models import Plan, PlanStatus
from kneadwell.portal import booking
from kneadwell.portal import care as mine
from kneadwell.portal import progress as scores
from kneadwell.portal.sessions import client_required


@client_required
def progress(request):
    client = request.portal.client
    plan = Plan.objects.filter(client=client, status=PlanStatus.ACTIVE).order_by("-created_at")
    plan = plan.first()
    log_client_access(request, client, Action.VIEW, "portal progress")
    context = {
        "client": client,
        "nav": "progress",
        "courses": scores.for_client(client),
        "outlook": outlook.for_plan(plan) if plan else None,
    }
    return render(request, "portal/progress.html", context)


@client_required
def care(request):
    client = request.portal.client
    log_client_access(request, client, Action.VIEW, "portal care")
    context = {
        "client": client,
        "nav": "care",
        "plan": mine.plan_in_words(client),
        "advice": mine.home_advice(client),
        "handouts": mine.handouts(client),
        "appointments": mine.upcoming_appointments(client),
        "cancellation_hours": mine.cancellation_hours(client),
        "letters": mine.shared_letters(client),
        "may_book": booking.why_not(client) is None,
    }
    return render(request, "portal/care.html", context)


@require_POST
@client_required
def cancel_appointment(request):
    """The appointment's number comes in the form (portal addresses carry no record numbers);
    one that is not the client's own coming appointment is not found. The first press shows
    which visit and asks; the confirming press (confirm=yes) cancels."""
    client = request.portal.client
    pk = request.POST.get("appointment", "")
    if not pk.isdigit():
        raise Http404("No such appointment.")
    appointment = mine.own_appointment(client, int(pk))
    starts = mine.local_time(appointment)
    when = f"{starts:%A} {starts.day} {starts:%B at %H:%M}"
    may_cancel = appointment.status != Status.CANCELLED and appointment.can_be_cancelled_by_client()
    if request.POST.get("confirm") != "yes" and may_cancel:
        # One tap asks first (a page, so it works without JavaScript); the second cancels.
        log_client_access(request, client, Action.VIEW, "portal appointment cancel asked")
        context = {"client": client, "nav": "care", "appointment": appointment, "when": when}
        return render(request, "portal/cancel.html", context)
    outcome, appointment = mine.cancel_appointment(client, appointment.pk)
    if outcome is mine.Cancelling.DONE:
        log_client_access(request, client, Action.UPDATE, "portal appointment cancelled")
        mine.send_cancellation(request, appointment)
        messages.success(request, f"Your visit on {when} is cancelled. The clinic can see it.")
    elif outcome is mine.Cancelling.ALREADY:
        log_client_access(request, client, Action.VIEW, "portal appointment already cancelled")
        messages.info(request, f"This visit is already cancelled: {when}.")
    else:
        log_client_access(request, client, Action.VIEW, "portal appointment too late to cancel")
        messages.error(request, "It is too late to cancel here. Please call the clinic.")
    return redirect("portal:care")


@client_required
def shared_documents(request):
    client = request.portal.client
    log_client_access(request, client, Action.VIEW, "portal shared documents")
    context = {"client": client, "nav": "care", "letters": mine.shared_letters(client)}
    return render(request, "portal/documents.html", context)


@client_required
def shared_document(request, number):
    """The shared document exactly as the clinic issued it: the stored bytes, logged first."""
    client = request.portal.client
    issued = mine.shared_document(client, number)
    log_client_access(request, client, Action.EXPORT, f"portal shared document {issued.pk}")
    response = HttpResponse(issued.content(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{issued.filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-SHA256"] = issued.sha256
    return response
