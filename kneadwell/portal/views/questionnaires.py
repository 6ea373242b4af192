"""Questionnaires the plan asks for, answered at home. Addresses carry a position in the list
of what is due, never the questionnaire's name (no health data in addresses)."""

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from kneadwell.audit.models import Action, log_client_access
from kneadwell.measures.forms import ResponseForm
from kneadwell.measures.models import LicensedText, Source
from kneadwell.portal import questionnaires
from kneadwell.portal.sessions import client_required


@client_required
def questionnaire_list(request):
    client = request.portal.client
    log_client_access(request, client, Action.VIEW, "portal questionnaires due")
    context = {"client": client, "due": questionnaires.due(client), "nav": "home"}
    return render(request, "portal/questionnaires.html", context)


@client_required
def answer(request, number):
    client = request.portal.client
    due = questionnaires.due(client)
    if not 1 <= number <= len(due):
        raise Http404("Nothing to answer here.")
    spec = due[number - 1]
    form = ResponseForm(
        _as_client(request.POST) if request.method == "POST" else None,
        client=client,
        instrument=spec,
        user=None,
        licensed=LicensedText.for_form(client.clinic_id, spec),
    )
    for field in form.context_fields():  # e.g. the NPRS's recall period, which the score needs
        field.field.label, field.field.required = "Which do you rate?", True
        field.field.error_messages["required"] = "Choose which one you rate."
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.response.save()
            log_client_access(request, client, Action.CREATE, f"outcome measure: {spec.short_name}")
        messages.success(request, f"Thank you. Your answers to the {spec.name} are saved.")
        return redirect("portal:questionnaires")
    log_client_access(request, client, Action.VIEW, f"outcome measure form: {spec.short_name}")
    return render(request, "portal/questionnaire.html", {"client": client, "form": form})


def _as_client(post):
    """What the client sent, answered now and by the client (never taken from the form)."""
    data = post.copy()
    data["taken_at"] = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    data["source"] = Source.CLIENT
    return data
