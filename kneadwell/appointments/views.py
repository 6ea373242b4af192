"""The calendar's pages: day and week, booking, moving, cancelling, a series from a plan, the
owner's set-up, the therapist's feed, and the client's cancel link from a reminder."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from kneadwell.accounts.decorators import owner_required
from kneadwell.appointments import access, agenda, feeds, reminders, schedule, series
from kneadwell.appointments.forms import (
    AppointmentTypeForm,
    BookingForm,
    CalendarSettingsForm,
    CancelForm,
    HoursForm,
    MoveForm,
    RoomForm,
    SeriesForm,
    TimeOffForm,
)
from kneadwell.appointments.models import (
    Appointment,
    CalendarFeed,
    ClinicCalendar,
    Conflict,
    Status,
    TimeOff,
    WorkingHours,
)
from kneadwell.audit.models import Action, log_access
from kneadwell.clients.access import get_client_for_user


def _therapist_param(request):
    value = request.GET.get("therapist")
    return access.get_therapist_for_user(request, value).pk if value else None


def _calendar(request, days: int, template: str):
    zone = ClinicCalendar.of(request.membership.clinic_id).zone
    day = agenda.parse_day(request.GET.get("date"), zone)
    first = schedule.week_bounds(day)[0] if days == 7 else day
    therapist_id = _therapist_param(request)
    context = agenda.build(request.membership, first, days, therapist_id, flags=days == 1)
    context.update(
        day=day,
        therapist_id=therapist_id,
        today=timezone.now().astimezone(zone).date(),
        previous=first - timedelta(days=days),
        next=first + timedelta(days=days),
        therapists=access.therapists_of(request.membership.clinic_id),
    )
    log_access(request, Action.LIST, f"calendar from {first:%Y-%m-%d}, {days} day(s)")
    return render(request, template, context)


@login_required
def day(request):
    return _calendar(request, 1, "appointments/day.html")


@login_required
def week(request):
    return _calendar(request, 7, "appointments/week.html")


def _conflict_to_form(form, conflict: Conflict, membership) -> None:
    fields = {"starts_at": "at", "room": "room", "ends_at": "minutes"}
    if conflict.code == "outside_hours":
        name = "outside_hours_reason" if membership.is_owner else "at"
        message = conflict.messages[0]
        if membership.is_owner:
            message += " To book anyway, give a reason."
        form.add_error(name, message)
    else:
        form.add_error(fields.get(conflict.code), conflict.messages)


@login_required
def book(request):
    calendar = ClinicCalendar.of(request.membership.clinic_id)
    form = BookingForm(
        request.POST or None, initial=request.GET.dict(), membership=request.membership
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        starts, ends = form.when(calendar.zone, data["appointment_type"].minutes)
        try:
            appointment = Appointment.book(
                by=request.user,
                clinic_id=calendar.clinic_id,
                client=data["client"],
                therapist=data["therapist"],
                appointment_type=data["appointment_type"],
                room=data.get("room"),
                starts_at=starts,
                ends_at=ends,
                outside_hours_reason=data.get("outside_hours_reason", ""),
            )
        except Conflict as conflict:
            _conflict_to_form(form, conflict, request.membership)
        else:
            log_access(request, Action.CREATE, "appointment", appointment.client)
            messages.success(request, "Booked.")
            return redirect(appointment)
    return render(request, "appointments/book.html", {"form": form})


@login_required
def detail(request, pk):
    appointment = access.get_appointment_for_user(request, pk)
    log_access(request, Action.VIEW, "appointment", appointment.client)
    zone = ClinicCalendar.of(appointment.clinic_id).zone
    context = {
        "appointment": appointment,
        "zone": zone,
        "starts": appointment.starts_at.astimezone(zone),
        "ends": appointment.ends_at.astimezone(zone),
        "needs_clearance": appointment.is_open and agenda.needs_clearance(appointment.client),
        "cancel_form": CancelForm(),
        "visit": getattr(appointment, "visit", None),
    }
    return render(request, "appointments/detail.html", context)


@login_required
def move(request, pk):
    appointment = access.get_appointment_for_user(request, pk)
    zone = ClinicCalendar.of(appointment.clinic_id).zone
    local = appointment.starts_at.astimezone(zone)
    initial = {
        "day": local.date(),
        "at": local.time(),
        "minutes": appointment.minutes,
        "room": appointment.room_id,
    }
    form = MoveForm(request.POST or None, initial=initial, membership=request.membership)
    if request.method == "POST" and form.is_valid():
        starts, ends = form.when(zone, appointment.minutes)
        try:
            appointment.move(
                starts_at=starts,
                ends_at=ends,
                room=form.cleaned_data.get("room"),
                by=request.user,
                outside_hours_reason=form.cleaned_data.get("outside_hours_reason", ""),
            )
        except Conflict as conflict:
            _conflict_to_form(form, conflict, request.membership)
        else:
            log_access(request, Action.UPDATE, "appointment (moved)", appointment.client)
            messages.success(request, "Moved.")
            return redirect(appointment)
    return render(request, "appointments/move.html", {"form": form, "appointment": appointment})


@login_required
@require_POST
def cancel(request, pk):
    appointment = access.get_appointment_for_user(request, pk)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            appointment.cancel(by=request.user, reason=form.cleaned_data["reason"])
        except Conflict as conflict:
            messages.error(request, conflict.messages[0])
            return redirect(appointment)
        log_access(request, Action.UPDATE, "appointment (cancelled)", appointment.client)
        late = " It was late under the cancellation policy." if appointment.cancelled_late else ""
        messages.success(request, "Cancelled." + late)
        return redirect(appointment)
    zone = ClinicCalendar.of(appointment.clinic_id).zone
    context = {
        "appointment": appointment,
        "cancel_form": form,
        "zone": zone,
        "starts": appointment.starts_at.astimezone(zone),
        "ends": appointment.ends_at.astimezone(zone),
    }
    return render(request, "appointments/detail.html", context, status=422)


@login_required
@require_POST
def mark(request, pk):
    appointment = access.get_appointment_for_user(request, pk)
    status = request.POST.get("status")
    if status not in (Status.ARRIVED, Status.NO_SHOW):
        raise Http404("No such status.")
    try:
        appointment.mark(status)
    except Conflict as conflict:
        messages.error(request, conflict.messages[0])
    else:
        log_access(request, Action.UPDATE, f"appointment ({status})", appointment.client)
        messages.success(request, f"Marked {appointment.get_status_display().lower()}.")
    return redirect(appointment)


@login_required
def plan_series(request, client_pk, plan_pk):
    client = get_client_for_user(request, client_pk)
    plan = series.get_plan(client, plan_pk)
    zone = ClinicCalendar.of(client.clinic_id).zone
    defaults = series.plan_defaults(plan, timezone.now().astimezone(zone).date())
    form = SeriesForm(request.POST or None, initial=defaults, membership=request.membership)
    proposals, booked = [], None
    if request.method == "POST" and form.is_valid():
        values = {k: form.cleaned_data.get(k) for k in ("therapist", "appointment_type", "room")}
        proposals = series.propose(plan, **values, **series.when(form.cleaned_data))
        if "confirm" in request.POST:
            booked, refused = series.book(plan, proposals, by=request.user, **values)
            log_access(request, Action.CREATE, f"appointment series ({len(booked)})", client)
            messages.success(request, f"Booked {len(booked)} appointment(s).")
            if not refused:
                return redirect(series.week_url(booked[0], zone))
            proposals = refused
    context = {
        "client": client,
        "plan": plan,
        "form": form,
        "proposals": proposals,
        "booked": booked,
        "zone": zone,
        "can_book": any(not p.conflict for p in proposals),
    }
    return render(request, "appointments/series.html", context)


# --- The owner's set-up ------------------------------------------------------------------------


@owner_required
def setup(request):
    calendar = ClinicCalendar.of(request.membership.clinic_id)
    form = CalendarSettingsForm(request.POST or None, instance=calendar)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Calendar settings saved.")
        return redirect("appointments:setup")
    clinic_id = calendar.clinic_id
    context = {
        "form": form,
        "types": access.types_of(clinic_id, active=False),
        "rooms": access.rooms_of(clinic_id, active=False),
        "therapists": access.therapists_of(clinic_id),
    }
    return render(request, "appointments/setup.html", context)


def _edit(request, form_class, instance, what: str):
    form = form_class(
        request.POST or None, instance=instance, clinic_id=request.membership.clinic_id
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"{what} saved.")
        return redirect("appointments:setup")
    context = {"form": form, "what": what, "adding": instance is None}
    return render(request, "appointments/setup_form.html", context)


@owner_required
def type_edit(request, pk=None):
    instance = access.get_type_for_owner(request, pk) if pk else None
    return _edit(request, AppointmentTypeForm, instance, "Appointment type")


@owner_required
def room_edit(request, pk=None):
    instance = access.get_room_for_owner(request, pk) if pk else None
    return _edit(request, RoomForm, instance, "Room")


@owner_required
def hours(request, therapist_pk):
    therapist = access.get_therapist_for_user(request, therapist_pk)
    current = {h.weekday: h for h in therapist.working_hours.all()}
    form = HoursForm(request.POST or None, current=current)
    time_off = TimeOffForm(prefix="off")
    if request.method == "POST" and form.is_valid():
        WorkingHours.set_week(therapist, form.week())
        messages.success(request, f"Hours of {therapist} saved.")
        return redirect("appointments:hours", therapist.pk)
    context = {
        "therapist": therapist,
        "form": form,
        "time_off_form": time_off,
        "time_off": therapist.time_off.all(),
    }
    return render(request, "appointments/hours.html", context)


@owner_required
@require_POST
def time_off_add(request, therapist_pk):
    therapist = access.get_therapist_for_user(request, therapist_pk)
    form = TimeOffForm(request.POST, prefix="off", instance=TimeOff(therapist=therapist))
    if form.is_valid():
        form.save()
        messages.success(request, f"Time off of {therapist} saved.")
        return redirect("appointments:hours", therapist.pk)
    current = {h.weekday: h for h in therapist.working_hours.all()}
    context = {
        "therapist": therapist,
        "form": HoursForm(current=current),
        "time_off_form": form,
        "time_off": therapist.time_off.all(),
    }
    return render(request, "appointments/hours.html", context, status=422)


@owner_required
@require_POST
def time_off_delete(request, therapist_pk, pk):
    therapist = access.get_therapist_for_user(request, therapist_pk)
    therapist.time_off.filter(pk=pk).delete()
    messages.success(request, "Time off removed.")
    return redirect("appointments:hours", therapist.pk)


# --- The therapist's calendar feed and the client's cancel link ----------------------------------


@login_required
def feed(request):
    if request.method == "POST":
        CalendarFeed.renew(request.user, revoke_only="revoke" in request.POST)
        messages.success(request, "Your calendar feed address was changed.")
        return redirect("appointments:feed")
    current = CalendarFeed.objects.filter(therapist=request.user).first()
    url = request.build_absolute_uri(current.get_absolute_url()) if current else None
    return render(request, "appointments/feed.html", {"feed_url": url})


def feed_ics(request, secret):
    therapist = CalendarFeed.therapist_for(secret)
    if therapist is None:
        raise Http404("No such feed.")
    body = feeds.ics_for(therapist)
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")


def public_cancel(request, token):
    appointment = reminders.appointment_for_token(token)
    if appointment is None:
        raise Http404("This link is not valid.")
    done = False
    if request.method == "POST" and appointment.can_be_cancelled_by_client():
        appointment.cancel(reason="Cancelled by the client from the reminder", by_client=True)
        reminders.log_client_cancel(request, appointment)
        done = True
    context = {
        "appointment": appointment,
        "done": done,
        "context": reminders.email_context(appointment),
    }
    return render(request, "appointments/public_cancel.html", context)
