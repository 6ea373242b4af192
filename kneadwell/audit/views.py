"""The owner's view of the access log: browse, filter, export as CSV. Nothing here edits it."""

import csv

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from kneadwell.accounts.decorators import owner_required
from kneadwell.accounts.models import User
from kneadwell.audit.forms import LogFilterForm
from kneadwell.audit.models import AccessLogEntry


def _filtered(request):
    people = User.objects.filter(membership__clinic_id=request.membership.clinic_id)
    form = LogFilterForm(request.GET or None, people=people)
    entries = AccessLogEntry.objects.filter(clinic_id=request.membership.clinic_id)
    if form.is_bound and form.is_valid():
        entries = form.filter(entries)
    return form, entries


@owner_required
def access_log(request):
    form, entries = _filtered(request)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    return render(request, "audit/log.html", context)


@owner_required
def access_log_csv(request):
    _, entries = _filtered(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="kneadwell-access-log.csv"'
    writer = csv.writer(response)
    writer.writerow(["id", "at", "user", "client", "action", "what", "channel", "address", "hash"])
    for e in entries.order_by("id").iterator(chunk_size=2000):
        row = [e.id, e.at.isoformat(), e.user_email, e.client_id or "", e.action]
        writer.writerow([*row, e.what, e.channel, e.address or "", e.hash])
    return response
