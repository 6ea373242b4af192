"""Book a follow-up: the client chooses one of the free times offered and books it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone

from kneadwell.audit.models import Action, log_client_access
from kneadwell.portal import booking
from kneadwell.portal.sessions import client_required


@client_required
def book(request):
    client = request.portal.client
    context = {"client": client, "nav": "care", "reason": booking.why_not(client)}
    first = booking.parse_day(request.GET.get("from"))
    if request.method == "POST" and context["reason"] is None:
        value = request.POST.get("slot", "")
        try:
            appointment = booking.book(client, value)
        except booking.AlreadyBooked as already:
            when = timezone.localtime(already.appointment.starts_at, booking.zone_of(client))
            log_client_access(request, client, Action.VIEW, "portal booking already held")
            messages.info(
                request,
                f"You already have this time booked: {when:%A} {when.day} {when:%B at %H:%M}, "
                f"with {already.appointment.therapist.get_full_name()}.",
            )
            return redirect("portal:care")
        except ValidationError as problem:
            context["error"] = problem.messages[0]
            first = booking.parse_day(request.POST.get("from")) or first
        else:
            log_client_access(request, client, Action.CREATE, "portal appointment booked online")
            booking.send_confirmation(request, appointment)
            messages.success(request, "Booked. We have emailed you the time.")
            return redirect("portal:care")
    log_client_access(request, client, Action.VIEW, "portal booking")
    if context["reason"] is None:
        context["week"] = booking.week(client, first)
    return render(request, "portal/book.html", context, status=409 if "error" in context else 200)
