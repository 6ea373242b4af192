"""The client's home page in the portal: what to do next, and where to find the rest."""

from django.shortcuts import render

from kneadwell.audit.models import Action, log_client_access
from kneadwell.portal import todo
from kneadwell.portal.sessions import client_required


@client_required
def home(request):
    client = request.portal.client
    log_client_access(request, client, Action.VIEW, "portal home")
    context = {
        "client": client,
        "nav": "home",
        "tasks": todo.tasks(client),
        "advice": todo.advice(client),
        "waiting": todo.waiting(client),
    }
    return render(request, "portal/home.html", context)
