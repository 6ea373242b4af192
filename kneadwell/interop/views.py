"""Bringing a client's record in from a FHIR Bundle (upload, preview, import), and the owner's
export of the whole clinic."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render

from kneadwell.accounts.decorators import owner_required
from kneadwell.audit.models import Action, log_access
from kneadwell.clients.access import clients_for
from kneadwell.interop import importer, tasks
from kneadwell.interop.forms import BundleForm


@login_required
def import_bundle(request):
    """Upload shows the preview (nothing written); "Import" with the previewed JSON writes it."""
    membership = request.membership
    if not membership.sees_clinical:
        raise PermissionDenied("Front-desk accounts do not import clinical records.")
    form = BundleForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        status = 422 if form.errors else 200
        return render(request, "interop/import.html", {"form": form}, status=status)
    preview = importer.read(form.cleaned_data["parsed"], clients_for(membership))
    if preview.ok and request.POST.get("confirm"):
        client = preview.apply(membership.clinic, request.user, assign=membership.is_therapist)
        log_access(request, Action.CREATE, "record imported from FHIR", client)
        messages.success(request, f"Imported into {client.display_name}'s record.")
        return redirect(client)
    context = {
        "form": BundleForm(initial={"bundle": form.cleaned_data["text"]}),
        "preview": preview,
    }
    return render(request, "interop/import.html", context, status=200 if preview.ok else 422)


@owner_required
def export(request):
    """The owner takes everything out: start an export (the worker writes it), then download it
    once."""
    clinic_id = request.membership.clinic_id
    if request.method == "POST":
        if tasks.start_export(request.membership.clinic, request.user) is None:
            messages.info(request, "An export is already being written: nothing new was started.")
        else:
            messages.success(request, "The export is being written; it appears below when ready.")
        return redirect("interop:export")
    context = {"ready": tasks.waiting(clinic_id), "since": tasks.in_progress(clinic_id)}
    return render(request, "interop/export.html", context)


@owner_required
def export_download(request, token):
    content = tasks.take(request.membership.clinic_id, token)
    if content is None:
        messages.error(
            request,
            "That export was already downloaded, and so deleted from the server (or it never "
            "existed). Start a new one if you need another copy.",
        )
        return redirect("interop:export")
    log_access(request, Action.EXPORT, "clinic export downloaded")
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="kneadwell-export.zip"'
    response["Cache-Control"] = "private, no-store"
    return response
