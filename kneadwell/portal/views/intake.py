"""The intake at home: one step per page, saved as the client goes, then sent to the clinic."""

from django.http import Http404
from django.shortcuts import redirect, render

from kneadwell.audit.models import Action, log_client_access
from kneadwell.portal import intake as steps
from kneadwell.portal.models import PortalIntake
from kneadwell.portal.sessions import client_required


@client_required
def overview(request):
    client = request.portal.client
    record = PortalIntake.current(client)
    if request.method == "POST" and record is not None and record.is_open:
        form = steps.full_form(record.data, client)
        if record.ready() and form.is_valid():
            record.submit()
            log_client_access(request, client, Action.UPDATE, "portal intake (sent)")
            return redirect("portal:intake")
    log_client_access(request, client, Action.VIEW, "portal intake")
    context = _context(client, record, nav="intake", on_record=client.intakes.exists())
    return render(request, "portal/intake.html", context)


@client_required
def step(request, step):
    if step not in steps.STEP_IDS:
        raise Http404("No such step.")
    client = request.portal.client
    record = PortalIntake.current(client)
    if record is not None and not record.is_open:
        return redirect("portal:intake")
    data = record.data if record else {}
    posted = request.POST if request.method == "POST" else None
    form = steps.step_form(step, data, client, posted)
    if posted is not None:
        record = record or PortalIntake.objects.create(client=client)
        record.save_step(step, steps.typed(step, posted), form.is_valid())
        record.note_advice(steps.check_answers(client, record.data))
        log_client_access(request, client, Action.UPDATE, f"portal intake: {steps.TITLES[step]}")
        if form.is_valid():
            return redirect(record.next_url(step))
    else:
        log_client_access(request, client, Action.VIEW, f"portal intake: {steps.TITLES[step]}")
    context = _context(client, record, nav="intake") | {"form": form, "step": step}
    return render(request, "portal/intake_step.html", context)


def _context(client, record, **extra) -> dict:
    data = record.data if record else {}
    return {
        "client": client,
        "record": record,
        "steps": [(s, title, s in (record.done if record else [])) for s, title, _ in steps.STEPS],
        "advice": steps.check_answers(client, data) if data else [],
        **extra,
    }
