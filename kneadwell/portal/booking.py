"""Booking a follow-up from the portal: the free times of the clinic's types bookable online
with the client's own therapists, when the clinic lets clients book and nothing in the client's
safety picture asks them to talk to the clinic first.

- ``why_not(client)``: why this client is asked to book with the clinic instead, or None.
- ``week(client, first)``: the offered times of seven days, grouped by day.
- ``book(client, value)``: book one offered time through ``Appointment.book_online``; a time
  the client holds already (a stale page sent again) raises ``AlreadyBooked``.

No time is offered on a day the client already has a visit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from kneadwell.appointments import agenda
from kneadwell.appointments.access import therapists_of
from kneadwell.appointments.models import HOLDING, Appointment, ClinicCalendar, Conflict
from kneadwell.plans.models import Plan, PlanStatus
from kneadwell.portal.models import PortalIntake
from kneadwell.screening import engine
from kneadwell.screening.findings import current_findings
from kneadwell.visits.models import Visit

DAYS_SHOWN = 7
# Findings of these tiers, not cleared by a physician, mean the clinic talks to the client
# before the next visit is booked (as do findings that block treatment).
TALK_FIRST_TIERS = ("emergency", "urgent")

NOT_OFFERED = "The clinic takes bookings by phone or at the desk. Please contact them to book."
FIRST_VISIT = "Please book your first visit with the clinic."
TALK_FIRST = (
    "Because of an answer you gave about your health, please contact the clinic to arrange "
    "your next visit instead of booking here. If you feel unwell now, do not wait: follow the "
    "advice you were given, or call emergency services."
)
NO_THERAPIST = "Please contact the clinic to book: your therapist has no times to book online."
TAKEN = "Sorry, that time has just been taken. Here are the times free now."


class AlreadyBooked(Exception):
    """The time asked for is the client's own visit already (booked from a stale page)."""

    def __init__(self, appointment: Appointment):
        super().__init__("You already have this time booked.")
        self.appointment = appointment


def therapists_for(client) -> list:
    """The client's own therapists who still work at the clinic: those the client is assigned
    to, the author of the active plan, and those of earlier visits and appointments."""
    ids = set(client.therapists.values_list("pk", flat=True))
    ids |= set(Visit.objects.filter(client=client).values_list("therapist_id", flat=True))
    ids |= set(
        Appointment.objects.filter(client=client, status__in=HOLDING).values_list(
            "therapist_id", flat=True
        )
    )
    plan = Plan.objects.filter(client=client, status=PlanStatus.ACTIVE).first()
    if plan is not None and plan.created_by_id:
        ids.add(plan.created_by_id)
    return list(therapists_of(client.clinic_id).filter(pk__in=ids))


def why_not(client) -> str | None:
    """Why the client should book with the clinic rather than online, in words; None if they
    may book here."""
    if not ClinicCalendar.of(client.clinic_id).clients_may_book:
        return NOT_OFFERED
    intake = PortalIntake.current(client)
    if intake is not None and intake.alert_tier in TALK_FIRST_TIERS:
        return TALK_FIRST
    findings, cleared = current_findings(client)
    if not findings and not client.screenings.exists():
        return FIRST_VISIT
    uncleared = [f for f in findings if f.id not in cleared and f.source not in cleared]
    if engine.blocking_findings(findings, cleared) or any(
        f.tier in TALK_FIRST_TIERS for f in uncleared
    ):
        return TALK_FIRST
    if not therapists_for(client):
        return NO_THERAPIST
    return None


@dataclass(frozen=True)
class Choice:
    value: str  # "type-therapist-unix seconds": what the form sends back
    label: str


@dataclass(frozen=True)
class Day:
    day: date
    choices: list[Choice]


@dataclass(frozen=True)
class Week:
    first: date
    days: list[Day]
    earlier: date | None  # the first day of the week before, if it can be booked
    later: date | None


def _value(offer: agenda.Offer) -> str:
    return f"{offer.kind.pk}-{offer.therapist.pk}-{int(offer.starts_at.timestamp())}"


def _label(offer: agenda.Offer) -> str:
    return f"{offer.starts_at:%H:%M}, {offer.kind.name} with {offer.therapist.get_full_name()}"


def _offers(client, first: date, last: date, now=None) -> list[agenda.Offer]:
    """The online offers, none on a day the client already has a visit (one a day is enough)."""
    offers = agenda.online_offers(
        client.clinic_id, therapists_for(client), first, last, now, client=client
    )
    zone = ClinicCalendar.of(client.clinic_id).zone
    held = {
        timezone.localtime(starts_at, zone).date()
        for starts_at in Appointment.objects.filter(
            client=client, clinic_id=client.clinic_id, status__in=HOLDING
        ).values_list("starts_at", flat=True)
    }
    return [o for o in offers if timezone.localtime(o.starts_at, zone).date() not in held]


def own_visit_at(client, starts_at: datetime) -> Appointment | None:
    """The client's own visit that starts at `starts_at`, if any."""
    return (
        Appointment.objects.filter(
            client=client, clinic_id=client.clinic_id, status__in=HOLDING, starts_at=starts_at
        )
        .select_related("therapist")
        .first()
    )


def week(client, first: date | None = None, now=None) -> Week:
    """The times offered over seven days from `first` (kept within the booking window)."""
    calendar = ClinicCalendar.of(client.clinic_id)
    earliest, last_day = calendar.booking_window(now)
    start = timezone.localtime(earliest, calendar.zone).date()
    first = min(max(first or start, start), last_day)
    last = first + timedelta(days=DAYS_SHOWN - 1)
    days: dict[date, list[Choice]] = {}
    for offer in _offers(client, first, last, now):
        days.setdefault(offer.starts_at.date(), []).append(Choice(_value(offer), _label(offer)))
    earlier = first - timedelta(days=DAYS_SHOWN) if first > start else None
    return Week(
        first=first,
        days=[Day(d, c) for d, c in sorted(days.items())],
        earlier=max(earlier, start) if earlier else None,
        later=last + timedelta(days=1) if last < last_day else None,
    )


def parse_day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def book(client, value: str, now=None) -> Appointment:
    """Book the offered time `value` names. A time the client holds already raises
    AlreadyBooked (with that visit). A time no longer offered (taken since the page was
    shown, or never offered) and a lost race both raise Conflict with the TAKEN message."""
    try:
        kind_pk, therapist_pk, seconds = (int(part) for part in value.split("-"))
        starts_at = datetime.fromtimestamp(seconds, UTC)
    except (ValueError, OverflowError, OSError):
        raise Conflict(TAKEN, code="slot") from None
    own = own_visit_at(client, starts_at)
    if own is not None:
        raise AlreadyBooked(own)
    zone = ClinicCalendar.of(client.clinic_id).zone
    day = timezone.localtime(starts_at, zone).date()
    offer = next(
        (o for o in _offers(client, day, day, now) if _value(o) == value),
        None,
    )
    if offer is None:
        raise Conflict(TAKEN, code="slot")
    try:
        return Appointment.book_online(
            client=client,
            therapist=offer.therapist,
            appointment_type=offer.kind,
            starts_at=offer.starts_at,
            now=now,
        )
    except Conflict:
        raise Conflict(TAKEN, code="slot") from None


def send_confirmation(request, appointment: Appointment) -> None:
    """Email the client the time, the therapist and the clinic's address: no health data (not
    even the appointment's type), and no record numbers in the link."""
    client = appointment.client
    if not client.email:
        return
    calendar = ClinicCalendar.of(client.clinic_id)
    context = {
        "name": client.preferred_name or client.given_names.split()[0],
        "clinic": client.clinic.name,
        "when": timezone.localtime(appointment.starts_at, calendar.zone),
        "therapist": appointment.therapist.get_full_name(),
        "address": calendar.address,
        "policy_hours": calendar.cancellation_hours,
        "url": request.build_absolute_uri(reverse("portal:care")),
    }
    body = render_to_string("portal/email/booked.txt", context)
    subject = f"Your appointment at {client.clinic.name} on {context['when']:%A %-d %B, %H:%M}"
    EmailMessage(subject, body, from_email=settings.DEFAULT_FROM_EMAIL, to=[client.email]).send()


def zone_of(client):
    """The clinic's time zone, for saying times on its wall clock."""
    return ClinicCalendar.of(client.clinic_id).zone
