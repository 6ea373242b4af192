"""The outcomes page, its CSV exports and settings, and the plan page with the clinic's
outlook added (analytics sits above plans, so it composes that page)."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from kneadwell.accounts.decorators import owner_required
from kneadwell.analytics import outcomes, outlook
from kneadwell.analytics.forms import OutcomeFilterForm, OutcomeSettingsForm
from kneadwell.analytics.models import OutcomeSettings
from kneadwell.analytics.refresh import refresh
from kneadwell.audit.models import Action, log_access
from kneadwell.plans.views import plan_page


def _report(request):
    """The filter form and, when it is valid, the report it asks for (None otherwise)."""
    if not request.membership.sees_clinical:
        raise PermissionDenied("Front-desk accounts do not see clinical outcomes.")
    today = timezone.localdate()
    form = OutcomeFilterForm(request.GET or None, membership=request.membership, today=today)
    if form.is_bound and not form.is_valid():
        return form, None
    refresh(request.membership.clinic_id)
    settings = OutcomeSettings.for_clinic(request.membership.clinic_id)
    filters = form.filters()
    return form, outcomes.build(request.membership, filters, settings, today)


@login_required
def outcomes_page(request):
    form, report = _report(request)
    if report is not None:
        log_access(request, Action.VIEW, f"outcomes report ({report.filters.describe()})")
    query = request.GET.urlencode()
    return render(
        request, "analytics/outcomes.html", {"form": form, "report": report, "query": query}
    )


@login_required
def outcomes_csv(request, table):
    form, report = _report(request)
    found = report.table(table) if report is not None else None
    if found is None:
        raise Http404("No such table, or the filters need fixing first.")
    log_access(request, Action.EXPORT, f"outcomes table {table} ({report.filters.describe()})")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="kneadwell-outcomes-{table}.csv"'
    writer = csv.writer(response)
    writer.writerow([f"{found.caption}; {report.filters.describe()}"])
    writer.writerow([column.label for column in found.columns])
    for row in found.display_rows():
        writer.writerow([csv_value(value, column.kind) for value, column in row])
    return response


def csv_value(value, kind: str):
    """Raw numbers for spreadsheets (percent columns as percent); text that a spreadsheet
    would run as a formula is quoted with a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float):
        number = value * 100 if kind == "percent" else value
        return round(number, 4) if isinstance(number, float) else number
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@owner_required
def outcome_settings(request):
    current = OutcomeSettings.for_clinic(request.membership.clinic_id)
    form = OutcomeSettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Outcome settings saved.")
        return redirect("analytics:outcomes")
    return render(request, "analytics/settings.html", {"form": form})


@login_required
def plan_detail(request, client_pk, pk):
    """The plans app's plan page, with the clinic's answer to "how many sessions?" added."""
    context = plan_page(request, client_pk, pk)
    context["outlook"] = outlook.for_plan(context["plan"])
    return render(request, "analytics/plan_detail.html", context)
