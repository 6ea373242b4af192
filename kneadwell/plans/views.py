"""Treatment plans: start from the condition's template, filtered by screening; edit as versions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render

from kneadwell.audit.models import Action, log_access
from kneadwell.clients.access import get_client_for_user
from kneadwell.clients.models import ClientStatus
from kneadwell.knowledge.loader import load_knowledge
from kneadwell.plans import safety
from kneadwell.plans.access import get_plan_for_user
from kneadwell.plans.build import draft_from_template
from kneadwell.plans.forms import ConditionForm, PlanForm, initial_from_draft, initial_from_version
from kneadwell.plans.models import Plan


@login_required
def plan_create(request, client_pk):
    # The condition travels in POST bodies, never in the URL: it is health data.
    client = get_client_for_user(request, client_pk, clinical=True)
    restrictions = safety.restrictions_for(client)
    choose = ConditionForm(request.POST or None, suggested=safety.suggested_conditions(client))
    context = {"client": client, "choose": choose, "restrictions": restrictions}
    if request.method == "POST" and choose.is_valid():
        condition = choose.cleaned_data["condition"]
        template = load_knowledge().plan_for(condition)
        draft = draft_from_template(template, load_knowledge(), restrictions)
        form = PlanForm(
            request.POST if "save" in request.POST else None,
            initial=initial_from_draft(draft),
            restrictions=restrictions,
            psfs_activities=safety.psfs_activities(client),
        )
        if "save" in request.POST and form.is_valid():
            plan = _save_new_plan(request, client, condition, template.id, form)
            messages.success(request, "Plan saved.")
            return redirect(plan)
        context.update(form=form, draft=draft, template=template, condition=condition)
    log_access(request, Action.VIEW, "plan form", client)
    return render(request, "plans/create.html", context)


def _save_new_plan(request, client, condition, template_id, form) -> Plan:
    with transaction.atomic():
        plan = Plan.objects.create(
            clinic_id=client.clinic_id,
            client=client,
            condition=condition,
            template=template_id,
            created_by=request.user,
        )
        plan.versions.create(number=1, created_by=request.user, **form.version_values())
        if client.is_discharged:
            # A new course: the client is back in treatment.
            client.status, client.discharged_at = ClientStatus.ACTIVE, None
            client.save(update_fields=["status", "discharged_at", "updated_at"])
        log_access(request, Action.CREATE, "treatment plan", client)
    return plan


def plan_page(request, client_pk, pk) -> dict:
    """The plan page's context, its read logged. The page itself is composed higher up
    (analytics adds the clinic's outlook and renders a template extending plans/detail.html)."""
    plan = get_plan_for_user(request, client_pk, pk)
    versions = list(plan.versions.select_related("created_by"))
    log_access(request, Action.VIEW, "treatment plan", plan.client)
    return {
        "client": plan.client,
        "plan": plan,
        "current": versions[0],
        "history": versions,
        "knowledge": load_knowledge(),
        "restrictions": safety.restrictions_for(plan.client),
    }


@login_required
def plan_edit(request, client_pk, pk):
    plan = get_plan_for_user(request, client_pk, pk)
    current = plan.current()
    form = PlanForm(
        request.POST or None,
        initial=initial_from_version(current),
        restrictions=safety.restrictions_for(plan.client),
        psfs_activities=safety.psfs_activities(plan.client),
        editing=True,
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            values = form.version_values()
            plan.versions.create(number=current.number + 1, created_by=request.user, **values)
            log_access(request, Action.UPDATE, "treatment plan (new version)", plan.client)
        messages.success(request, f"Saved as version {current.number + 1}.")
        return redirect(plan)
    if request.method == "GET":
        log_access(request, Action.VIEW, "treatment plan (edit form)", plan.client)
    return render(request, "plans/edit.html", {"client": plan.client, "plan": plan, "form": form})
