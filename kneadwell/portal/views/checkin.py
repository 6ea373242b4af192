"""The check-in before a visit, from home."""

from django.shortcuts import render

from kneadwell.audit.models import Action, log_client_access
from kneadwell.portal import checkin as checkins
from kneadwell.portal.sessions import client_required
from kneadwell.screening import enforce


@client_required
def checkin(request):
    client = request.portal.client
    previous = enforce.latest_screening(client)
    context = {"client": client, "nav": "checkin", "screened": previous is not None}
    if previous is None or not checkins.pending(client):
        log_client_access(request, client, Action.VIEW, "portal check-in")
        return render(request, "portal/checkin.html", context)
    conditions = enforce.rescreen_conditions(previous.answers)
    form = checkins.PortalCheckinForm(request.POST or None, conditions=conditions)
    if request.method == "POST" and form.is_valid():
        outcome = checkins.record(client, form)
        log_client_access(request, client, Action.CREATE, "portal check-in (visit check-in)")
        context |= {"done": outcome.checkin, "advice": outcome.advice}
        return render(request, "portal/checkin.html", context)
    log_client_access(request, client, Action.VIEW, "portal check-in")
    return render(request, "portal/checkin.html", context | {"form": form})
