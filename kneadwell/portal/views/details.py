"""My details and my data: contact, emergency contact and physician; asking the clinic to
correct something; downloads of the record (a hook, see downloads.py)."""

from django.contrib import messages
from django.shortcuts import redirect, render

from kneadwell.audit.models import Action, log_client_access
from kneadwell.portal import downloads
from kneadwell.portal.forms import CorrectionForm, DetailsForm
from kneadwell.portal.models import CorrectionRequest, DetailsChange
from kneadwell.portal.sessions import client_required


@client_required
def details(request):
    client = request.portal.client
    form = DetailsForm(request.POST or None, instance=client, prefix="details")
    if request.method == "POST" and form.is_valid():
        change = DetailsChange.record(form)
        if change is not None:
            log_client_access(request, client, Action.UPDATE, "portal details")
            messages.success(request, "Saved. The clinic can see what you changed.")
        return redirect("portal:details")
    log_client_access(request, client, Action.VIEW, "portal details")
    return render(request, "portal/details.html", _context(client, form, CorrectionForm()))


@client_required
def correction(request):
    client = request.portal.client
    form = CorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        CorrectionRequest.objects.create(client=client, text=form.cleaned_data["text"])
        log_client_access(request, client, Action.CREATE, "portal correction request")
        messages.success(request, "Sent. The clinic will answer here.")
        return redirect("portal:details")
    log_client_access(request, client, Action.VIEW, "portal details")
    details_form = DetailsForm(instance=client, prefix="details")
    return render(request, "portal/details.html", _context(client, details_form, form))


def _context(client, form, correction_form) -> dict:
    return {
        "client": client,
        "nav": "details",
        "form": form,
        "correction_form": correction_form,
        "requests": client.portal_corrections.all()[:10],
        "downloads": downloads.available(client),
    }
