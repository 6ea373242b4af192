"""The Demo Clinic's calendar: settings, types, rooms, working hours, and a fortnight of
appointments around today (past ones held, a no-show, a late cancellation, today's list and a
weekly series booked from a plan)."""

from __future__ import annotations

import random
from datetime import date, time, timedelta

from django.utils import timezone

from kneadwell.appointments import schedule, series
from kneadwell.appointments.models import (
    Appointment,
    AppointmentType,
    ClinicCalendar,
    Room,
    Status,
    TimeOff,
    WorkingHours,
)
from kneadwell.plans.models import Plan, PlanStatus
from kneadwell.screening.enforce import enforce, latest_screening, rescreen_conditions

# A therapist's usual day: the starts of their appointments (45 minutes each).
DAY = [time(9), time(10), time(11, 15), time(14), time(15, 30)]


def populate(clinic, rng: random.Random, *, today: date | None = None) -> int:
    """Set up the calendar and book the fortnight; returns the number of appointments."""
    if ClinicCalendar.objects.filter(clinic=clinic).exists():
        return 0
    calendar = ClinicCalendar.objects.create(
        clinic=clinic,
        time_zone="Europe/London",
        reminder_hours=48,
        cancellation_hours=24,
        # The demo client can book a follow-up from the portal (docs/portal.md).
        clients_may_book=True,
        booking_days_ahead=28,
        booking_notice_hours=24,
        address="12 Mill Road, Exampleton EX1 2AB",
    )
    zone = calendar.zone
    today = today or timezone.now().astimezone(zone).date()
    initial = AppointmentType.objects.create(
        clinic=clinic, name="Initial assessment", minutes=60, colour="#1d5f73"
    )
    follow_up = AppointmentType.objects.create(
        clinic=clinic, name="Follow-up", minutes=45, colour="#4a7c59", bookable_online=True
    )
    AppointmentType.objects.create(clinic=clinic, name="Reassessment", minutes=45, colour="#7a4d00")
    rooms = [Room.objects.create(clinic=clinic, name=name) for name in ("Room 1", "Room 2")]
    therapists = [
        m.user for m in clinic.memberships.filter(role="therapist").select_related("user")
    ]
    for therapist in therapists:
        for weekday in range(5):
            WorkingHours.objects.create(
                therapist=therapist,
                weekday=weekday,
                starts=time(9),
                ends=time(17),
                break_starts=time(12, 30),
                break_ends=time(13),
            )
    if len(therapists) > 1:
        away = today + timedelta(days=21)
        TimeOff.objects.create(
            therapist=therapists[1],
            starts_on=away,
            ends_on=away + timedelta(days=4),
            note="Holiday",
        )
    rows = []
    for index, therapist in enumerate(therapists):
        ready, rest = _by_readiness(therapist)
        clients = ready + rest
        if not clients:
            continue
        room = rooms[index % len(rooms)]
        turn = 0
        for offset in range(-7, 8):
            day = today + timedelta(days=offset)
            if day.weekday() >= 5 and offset != 0:
                continue
            for number, slot in enumerate(DAY):
                # The first of each day is a client the session can go ahead for.
                pool = ready if number == 0 and ready else clients
                client = pool[(offset + 7 if number == 0 else turn) % len(pool)]
                kind = initial if turn < 2 and offset < 0 else follow_up
                turn += 1
                starts = schedule.wall_clock(day, slot, zone)
                rows.append(
                    Appointment(
                        clinic=clinic,
                        client=client,
                        therapist=therapist,
                        room=room,
                        appointment_type=kind,
                        starts_at=starts,
                        ends_at=starts + timedelta(minutes=kind.minutes),
                        status=Status.COMPLETED if offset < 0 else Status.BOOKED,
                        booked_by=therapist,
                        reminder_due_at=starts - timedelta(hours=24),
                        reminder_sent_at=starts - timedelta(hours=24) if offset < 0 else None,
                    )
                )
    Appointment.objects.bulk_create(rows)
    _what_became_of_some(clinic, today, zone)
    return len(rows) + _plan_series(clinic, therapists, today, follow_up)


def _by_readiness(therapist) -> tuple[list, list]:
    """The therapist's clients: those whose screening lets a session go ahead (and who need no
    every-visit check-in), and the others. Archived clients (the synthetic outcomes history)
    and discharged ones have no place in the calendar."""
    ready, rest = [], []
    current = therapist.assigned_clients.filter(archived_at__isnull=True).exclude(
        status="discharged"
    )
    for client in current.order_by("pk"):
        latest = latest_screening(client)
        fine = (
            latest is not None
            and not rescreen_conditions(latest.answers)
            and not enforce(client, []).blocked
        )
        (ready if fine else rest).append(client)
    return ready, rest


def _what_became_of_some(clinic, today: date, zone) -> None:
    """Yesterday-ish: one no-show and one late cancellation; next week, one cancelled in time."""
    past = Appointment.objects.filter(
        clinic=clinic, starts_at__lt=schedule.day_span(today, zone)[0]
    ).order_by("-starts_at")
    no_show, late = past[1], past[3]
    Appointment.objects.filter(pk=no_show.pk).update(status=Status.NO_SHOW)
    Appointment.objects.filter(pk=late.pk).update(
        status=Status.CANCELLED,
        cancelled_at=late.starts_at - timedelta(hours=3),
        cancel_reason="Client called: car broke down",
        cancelled_late=True,
    )
    coming = Appointment.objects.filter(
        clinic=clinic, starts_at__gte=schedule.day_span(today + timedelta(days=3), zone)[0]
    ).order_by("starts_at")
    early = coming[2]
    Appointment.objects.filter(pk=early.pk).update(
        status=Status.CANCELLED,
        cancelled_at=timezone.now(),
        cancel_reason="Away for work",
        cancelled_late=False,
    )


def _plan_series(clinic, therapists, today: date, kind) -> int:
    """A weekly series from an active plan, at the end of the therapist's day."""
    for therapist in therapists:
        plan = (
            Plan.objects.filter(
                clinic=clinic, status=PlanStatus.ACTIVE, client__therapists=therapist
            )
            .order_by("pk")
            .first()
        )
        if plan is None:
            continue
        first = today + timedelta(days=1)
        proposals = series.propose(
            plan,
            therapist=therapist,
            appointment_type=kind,
            room=None,
            first_day=first,
            weekdays=[first.weekday() if first.weekday() < 5 else 1],
            at=time(16, 15),
            count=6,
        )
        booked, _ = series.book(
            plan, proposals, therapist=therapist, appointment_type=kind, room=None, by=therapist
        )
        return len(booked)
    return 0
