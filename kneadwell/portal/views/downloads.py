"""The client's own record to download, after logging the export with the client as actor."""

from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from kneadwell.audit.models import Action, log_client_access
from kneadwell.portal import downloads
from kneadwell.portal.sessions import client_required


def _attachment(body: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@never_cache
@client_required
def record_pdf(request):
    client = request.portal.client
    log_client_access(request, client, Action.EXPORT, "portal record PDF")
    body = downloads.record_pdf(client)
    return _attachment(body, "application/pdf", "my-record.pdf")


@require_GET
@never_cache
@client_required
def record_fhir(request):
    client = request.portal.client
    log_client_access(request, client, Action.EXPORT, "portal record FHIR")
    body = downloads.record_fhir(client)
    return _attachment(body, "application/fhir+json", "my-record.json")
