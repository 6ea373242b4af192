"""Recording questionnaires, a client's measures page, and the owner's missing-item rules."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render

from kneadwell.accounts.decorators import owner_required
from kneadwell.audit.models import Action, log_access
from kneadwell.clients.access import get_client_for_user
from kneadwell.knowledge.instruments.registry import (
    UnknownInstrument,
    get_instrument,
    load_instruments,
)
from kneadwell.measures import progress
from kneadwell.measures.forms import (
    MissingRulesForm,
    ResponseForm,
)
from kneadwell.measures.models import InstrumentSetting, LicensedText


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
