"""My progress and my care: what the client can read about their own course."""

from django.shortcuts import render

from kneadwell.analytics import outlook
from kneadwell.audit.models import Action, log_client_access
from kneadwell.plans.models import Plan, PlanStatus
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
        "letters": mine.shared_letters(client),
    }
    return render(request, "portal/care.html", context)
