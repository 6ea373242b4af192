"""Recording questionnaires, a client's measures page, and the owner's missing-item rules."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe

from kneadwell.accounts.decorators import owner_required
from kneadwell.audit.models import Action, log_access
from kneadwell.clients.access import get_client_for_user
from kneadwell.knowledge.instruments.registry import (
    UnknownInstrument,
    get_instrument,
    load_instruments,
)
from kneadwell.measures import charts, progress
from kneadwell.measures.forms import (
    DischargeForm,
    MissingRulesForm,
    ReassessmentForm,
    ResponseForm,
)
from kneadwell.measures.models import InstrumentSetting, LicensedText
from kneadwell.plans import discharge, reassess
from kneadwell.plans.models import Decision, Discharge, PlanStatus, PlanVersion, Reassessment
from kneadwell.visits.models import VisitStatus


@login_required
def response_list(request, pk):
    client = get_client_for_user(request, pk, clinical=True)
    responses = list(client.measure_responses.select_related("entered_by").chronological())
    log_access(request, Action.VIEW, "outcome measures", client)
    context = {
        "client": client,
        "courses": progress.courses(responses),
        "instruments": load_instruments().values(),
    }
    return render(request, "measures/response_list.html", context)


@login_required
def response_create(request, pk, instrument):
    client = get_client_for_user(request, pk, clinical=True)
    try:
        spec = get_instrument(instrument)
    except UnknownInstrument:
        raise Http404("No such instrument.") from None
    form = ResponseForm(
        request.POST or None,
        client=client,
        instrument=spec,
        user=request.user,
        licensed=LicensedText.for_form(client.clinic_id, spec),
        carried=_carried_forward(client, spec),
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.response.save()
            log_access(request, Action.CREATE, f"outcome measure: {spec.short_name}", client)
        messages.success(request, f"Recorded the {spec.short_name}.")
        return redirect("measures:list", pk=client.pk)
    if request.method == "GET":
        log_access(request, Action.VIEW, f"outcome measure form: {spec.short_name}", client)
    return render(request, "measures/response_form.html", {"client": client, "form": form})


@owner_required
def missing_rules(request):
    clinic_id = request.membership.clinic_id
    form = MissingRulesForm(
        request.POST or None, current=InstrumentSetting.rules_by_instrument(clinic_id)
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            for instrument_id, rule in form.cleaned_data.items():
                InstrumentSetting.objects.update_or_create(
                    clinic_id=clinic_id, instrument=instrument_id, defaults={"missing_rule": rule}
                )
        messages.success(request, "Saved. New scores use these rules; past scores keep theirs.")
        return redirect("measures:missing_rules")
    return render(request, "measures/missing_rules.html", {"form": form})


def _carried_forward(client, instrument) -> dict:
    """The item labels (PSFS activities) of the client's latest response to this instrument,
    so a follow-up rates the same activities under the same item ids."""
    if not any(c.kind == "item_text" for c in instrument.context):
        return {}
    latest = client.measure_responses.filter(instrument=instrument.id).first()
    return latest.context if latest else {}


# --- Progress, reassessment and discharge -----------------------------------------------------


def _since_last_discharge(client):
    """Where the current course starts: after the last discharge, or, while the client is
    discharged, after the one before it (so their last course stays on show)."""
    skip = 1 if client.is_discharged else 0
    earlier = client.discharges.order_by("-discharged_at")[skip : skip + 1]
    return earlier[0].discharged_at if earlier else None


def _progress_context(request, client, form=None) -> dict:
    since = _since_last_discharge(client)
    responses = client.measure_responses.chronological()
    if since is not None:
        responses = responses.filter(taken_at__gt=since)
    courses = progress.courses(list(responses))
    versions = PlanVersion.objects.filter(plan__client=client, number__gt=1)
    marks = [
        charts.Mark(timezone.localtime(v.created_at).date(), f"Plan v{v.number}")
        for v in versions.order_by("created_at")
    ]
    review = reassess.review(client, courses, timezone.localdate())
    if review is not None and form is None:
        form = ReassessmentForm(choices=review.option_choices)
    return {
        "client": client,
        "charted": [
            {"course": course, "charts": [_chart(s) for s in charts.series_for(course, marks)]}
            for course in courses
        ],
        "review": review,
        "form": form,
        "discharges": client.discharges.select_related("by"),
    }


def _chart(series) -> dict:
    return {
        "series": series,
        # charts.svg escapes every piece of text it writes.
        "svg": mark_safe(charts.svg(series)),  # noqa: S308
        "rows": charts.table_rows(series),
    }


@login_required
def progress_page(request, pk):
    client = get_client_for_user(request, pk, clinical=True)
    if request.method == "POST":
        return _decide(request, client)
    log_access(request, Action.VIEW, "progress and reassessment", client)
    return render(request, "measures/progress.html", _progress_context(request, client))


def _decide(request, client):
    """Record the therapist's reassessment decision, then go where it leads."""
    context = _progress_context(request, client)
    review = context["review"]
    if review is None:
        messages.error(request, "There is no active plan to reassess.")
        return redirect("measures:progress", pk=client.pk)
    form = ReassessmentForm(request.POST, choices=review.option_choices)
    if not form.is_valid():
        log_access(request, Action.VIEW, "progress and reassessment", client)
        context["form"] = form
        return render(request, "measures/progress.html", context, status=422)
    primary = review.primary
    with transaction.atomic():
        decision = Reassessment.objects.create(
            client=client,
            plan=review.plan,
            plan_version=review.version,
            decision=form.cleaned_data["decision"],
            note=form.cleaned_data["note"],
            primary_instrument=primary.instrument.id if primary else "",
            primary_status=", ".join(r.status for r in primary.readings) if primary else "",
            by=request.user,
        )
        log_access(request, Action.CREATE, "reassessment decision", client)
    messages.success(request, f"Recorded: {decision.get_decision_display().lower()}.")
    if decision.decision == Decision.CHANGE_PLAN:
        return redirect("plans:edit", client_pk=client.pk, pk=review.plan.pk)
    if decision.decision == Decision.REFER_PHYSICIAN:
        return redirect("measures:referral_letter", pk=client.pk, reassessment_pk=decision.pk)
    if decision.decision == Decision.STOP:
        return redirect("measures:discharge", pk=client.pk)
    return redirect("measures:progress", pk=client.pk)


@login_required
def referral_letter(request, pk, reassessment_pk):
    """A letter to the physician when a course is not helping: the scores up to the decision."""
    client = get_client_for_user(request, pk, clinical=True)
    decision = get_object_or_404(
        client.reassessments.select_related("plan", "plan_version", "by"), pk=reassessment_pk
    )
    responses = client.measure_responses.filter(taken_at__lte=decision.decided_at)
    courses = progress.courses(list(responses.chronological()))
    log_access(request, Action.VIEW, "referral letter (not improving)", client)
    context = {
        "client": client,
        "decision": decision,
        "measures": discharge.measure_rows(courses),
        "visits": client.visits.filter(
            status=VisitStatus.SIGNED, plan_version__plan=decision.plan
        ).count(),
        "clinic": request.membership.clinic,
    }
    return render(request, "measures/referral_letter.html", context)


@login_required
def discharge_new(request, pk):
    client = get_client_for_user(request, pk, clinical=True)
    since = _since_last_discharge(client)
    responses = client.measure_responses.chronological()
    visits = client.visits.filter(status=VisitStatus.SIGNED)
    if since is not None:
        responses = responses.filter(taken_at__gt=since)
        visits = visits.filter(visit_date__gt=timezone.localtime(since).date())
    courses = progress.courses(list(responses))
    plans = list(client.plans.filter(status=PlanStatus.ACTIVE).prefetch_related("versions"))
    goals = [g["text"] for plan in plans for g in plan.current().goals if g.get("text")]
    form = DischargeForm(request.POST or None, goals=goals)
    visit_dates = list(visits.values_list("visit_date", flat=True))
    if request.method == "POST" and form.is_valid():
        plan_rows = [
            {"id": p.pk, "condition": p.condition, "version": p.current().number} for p in plans
        ]
        snapshot = discharge.summary(courses, visit_dates, form.goal_outcomes(), plan_rows)
        with transaction.atomic():
            record = Discharge.record(
                client, request.user, snapshot, form.cleaned_data["recommendations"]
            )
            log_access(request, Action.CREATE, "discharge summary", client)
        messages.success(request, f"{client.display_name} is discharged; the plan is closed.")
        return redirect(record)
    if request.method == "GET":
        log_access(request, Action.VIEW, "discharge form", client)
    context = {
        "client": client,
        "form": form,
        "preview": discharge.summary(courses, visit_dates, [], []),
        "plans": plans,
    }
    return render(request, "measures/discharge_form.html", context)


@login_required
def discharge_detail(request, pk, discharge_pk):
    client = get_client_for_user(request, pk, clinical=True)
    record = get_object_or_404(client.discharges.select_related("by"), pk=discharge_pk)
    log_access(request, Action.VIEW, "discharge summary", client)
    context = {"client": client, "discharge": record, "summary": record.summary}
    return render(request, "measures/discharge.html", context)
