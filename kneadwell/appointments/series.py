"""A series of appointments from a plan in one step ("weekly on Tuesday 10:00, 6 sessions"):
proposed first with each conflict in words, then booked; the plan's reassessment point marked
on the appointment where it falls."""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.http import Http404
from django.urls import reverse

from kneadwell.appointments import schedule
from kneadwell.appointments.models import Appointment, ClinicCalendar, Conflict, Status


@dataclass
class Proposal:
    starts: datetime
    ends: datetime
    reassessment_due: bool
    conflict: str = ""


def get_plan(client, pk):
    """The client's plan `pk` (the client already fetched through its scoped lookup), else 404."""
    try:
        return client.plans.prefetch_related("versions").get(pk=pk)
    except (client.plans.model.DoesNotExist, ValueError, TypeError):
        raise Http404("No such plan.") from None


def when(data: dict) -> dict:
    """The series form's timing fields, as `propose` takes them."""
    return {k: data[k] for k in ("first_day", "weekdays", "at", "count")}


def week_url(appointment: Appointment, zone) -> str:
    day = appointment.starts_at.astimezone(zone).date()
    return (
        f"{reverse('appointments:week')}?date={day:%Y-%m-%d}&therapist={appointment.therapist_id}"
    )


def plan_defaults(plan, today) -> dict:
    """The series form's starting values from the plan's current version."""
    version = plan.current()
    booked = plan.appointments.filter(status__in=[Status.BOOKED, Status.ARRIVED]).count()
    done = plan.appointments.filter(status=Status.COMPLETED).count()
    planned = version.planned_sessions if version else None
    count = max((planned or 6) - booked - done, 1)
    per_week = (version.sessions_per_week if version else None) or 1
    first = today + timedelta(days=1)
    weekdays = [(first.weekday() + i * (7 // per_week)) % 7 for i in range(min(per_week, 7))]
    return {"first_day": first, "weekdays": sorted(set(weekdays)), "count": count}


def _since_last_point(plan, before: datetime) -> tuple[int, object]:
    """Sessions of the plan counted since its last reassessment point, and that point's date."""
    version = plan.current()
    last = plan.reassessments.order_by("-decided_at").first()
    since = last.decided_at if last else (version.created_at if version else plan.created_at)
    points = plan.appointments.holding().filter(reassessment_due=True, starts_at__lt=before)
    point = points.filter(starts_at__gte=since).order_by("-starts_at").first()
    if point is not None:
        since = point.starts_at
    count = (
        plan.appointments.holding()
        .filter(starts_at__gte=since, starts_at__lt=before)
        .exclude(pk=getattr(point, "pk", None))
        .count()
    )
    return count, since


def propose(plan, *, therapist, appointment_type, room, first_day, weekdays, at, count):
    """The series' appointments, each with what stands in its way (nothing: it can be booked)."""
    calendar = ClinicCalendar.of(plan.clinic_id)
    starts = schedule.series_starts(first_day, weekdays, at, count, calendar.zone)
    if not starts:
        return []
    version = plan.current()
    already, since = _since_last_point(plan, starts[0])
    after_weeks = version.reassess_after_weeks if version else None
    week_mark = (since.date() + timedelta(weeks=after_weeks)) if after_weeks else None
    marks = schedule.reassessment_marks(
        [s.date() for s in starts],
        already=already,
        after_visits=version.reassess_after_visits if version else None,
        week_mark=week_mark,
        after_weeks=after_weeks,
    )
    length = timedelta(minutes=appointment_type.minutes)
    proposals = []
    for start, mark in zip(starts, marks, strict=True):
        trial = Appointment(
            clinic_id=plan.clinic_id,
            client=plan.client,
            therapist=therapist,
            appointment_type=appointment_type,
            room=room,
            starts_at=start,
            ends_at=start + length,
        )
        proposals.append(Proposal(start, start + length, mark, _conflict(trial)))
    return proposals


def _conflict(trial: Appointment) -> str:
    try:
        with transaction.atomic():
            trial._check_free()
    except Conflict as conflict:
        return " ".join(conflict.messages)
    return ""


def book(plan, proposals, *, therapist, appointment_type, room, by) -> tuple[list, list]:
    """Book every proposal that is still free; returns (booked, refused with reasons)."""
    series = uuid.uuid4()
    booked, refused = [], []
    for proposal in proposals:
        try:
            booked.append(
                Appointment.book(
                    by=by,
                    clinic_id=plan.clinic_id,
                    client=plan.client,
                    plan=plan,
                    therapist=therapist,
                    appointment_type=appointment_type,
                    room=room,
                    starts_at=proposal.starts,
                    ends_at=proposal.ends,
                    series=series,
                    reassessment_due=proposal.reassessment_due,
                )
            )
        except Conflict as conflict:
            proposal.conflict = " ".join(conflict.messages)
            refused.append(proposal)
    return booked, refused
