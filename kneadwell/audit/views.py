"""The owner's view of the access log: browse, filter, export as CSV. Nothing here edits it."""

from itertools import chain

from django.http import StreamingHttpResponse
from django.shortcuts import render

from kneadwell.accounts.decorators import owner_required
from kneadwell.accounts.models import User
from kneadwell.audit.forms import LogFilterForm
from kneadwell.audit.models import AccessLogEntry
from kneadwell.audit.paging import csv_lines, keyset_page

CSV_HEADER = ["id", "at", "user", "client", "action", "what", "channel", "address", "hash"]


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
    page = keyset_page(entries, request.GET.get("cursor"))
    query = request.GET.copy()
    query.pop("cursor", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    return render(request, "audit/log.html", context)


@owner_required
def access_log_csv(request):
    _, entries = _filtered(request)
    rows = (
        [e.id, e.at.isoformat(), e.user_email, e.client_id or "", e.action, e.what, e.channel]
        + [e.address or "", e.hash]
        for e in entries.order_by("at", "id").iterator(chunk_size=2000)
    )
    lines = csv_lines(chain([CSV_HEADER], rows))
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="kneadwell-access-log.csv"'
    return response
