"""My care: the plan in plain words, the home advice of the last signed note, the handouts of
the client's conditions, the coming appointments (each cancellable within the clinic's policy),
and a hook for what another app will provide.

- ``upcoming_appointments(client)``: the appointments app's booked visits, soonest first,
  each with ``starts_at`` (wall-clock time in the clinic's zone), ``with_whom`` and ``kind``.
- ``cancel_appointment(client, pk)``: the client's own cancellation, within policy (what
  happened: done, already cancelled, too late); ``send_cancellation`` emails the client which
  visit is cancelled.

- ``shared_letters(client)``: the issued letters and reports the clinic shares with the client
  (reports' ``DocumentShare``), newest first, each with ``title``, ``sent_on`` and ``url`` (a
  portal address with the document's place in the list, never its number or title);
  ``shared_document(client, number)`` is the issued document itself (404 otherwise).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from django.conf import settings
from django.core.mail import EmailMessage
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from kneadwell.appointments.models import Appointment, ClinicCalendar, Status
from kneadwell.knowledge.loader import load_knowledge
from kneadwell.plans.models import Plan, PlanStatus
from kneadwell.reports.models import DocumentShare, IssuedDocument
from kneadwell.screening import enforce
from kneadwell.screening.bodychart import region_names
from kneadwell.visits import notes


@dataclass(frozen=True)
class PlanWords:
    condition: str
    sessions: str
    techniques: str
    areas: str
    goals: list[str]
    since: object


def plan_in_words(client) -> PlanWords | None:
    plan = (
        Plan.objects.filter(client=client, status=PlanStatus.ACTIVE).order_by("-created_at").first()
    )
    if plan is None:
        return None
    version = plan.current()
    kb = load_knowledge()
    condition = kb.conditions.get(plan.condition)
    parts = []
    if version.planned_sessions:
        parts.append(f"about {version.planned_sessions} sessions")
    if version.sessions_per_week:
        times = "once" if version.sessions_per_week == 1 else f"{version.sessions_per_week} times"
        parts.append(f"{times} a week")
    if version.session_minutes:
        parts.append(f"{version.session_minutes} minutes each")
    techniques = [kb.techniques[t].name for t in version.techniques if t in kb.techniques]
    return PlanWords(
        condition=condition.name if condition else "",
        sessions=", ".join(parts),
        techniques=", ".join(techniques),
        areas=", ".join(region_names(version.focus_regions)),
        goals=[g.get("text", "") for g in version.goals if g.get("text")],
        since=version.created_at,
    )


def home_advice(client) -> tuple[str, object] | None:
    """The home advice of the last signed note, and the visit's date."""
    visit = notes.last_signed_visit(client)
    if visit is None or not visit.home_advice.strip():
        return None
    return visit.home_advice, visit.visit_date


def handouts(client) -> list:
    """The handouts of the client's conditions (from the latest screening and the plans)."""
    kb = load_knowledge()
    latest = enforce.latest_screening(client)
    conditions = list(latest.answers.get("conditions", [])) if latest else []
    conditions += list(client.plans.values_list("condition", flat=True))
    found = [kb.handout_for(c) for c in dict.fromkeys(conditions)]
    return [h for h in found if h is not None]


@dataclass(frozen=True)
class Coming:
    pk: int
    starts_at: object  # naive wall-clock time in the clinic's zone
    with_whom: str
    kind: str
    can_cancel: bool


CANCEL_REASON = "Cancelled by the client in the portal"


def _coming(client):
    return Appointment.objects.filter(
        client=client,
        clinic_id=client.clinic_id,
        status__in=[Status.BOOKED, Status.ARRIVED],
        ends_at__gt=timezone.now(),
    )


def upcoming_appointments(client) -> list[Coming]:
    """The client's coming (booked or arrived) appointments, soonest first."""
    calendar = ClinicCalendar.of(client.clinic_id)
    now = timezone.now()
    policy = timedelta(hours=calendar.cancellation_hours)
    found = _coming(client).select_related("therapist", "appointment_type").order_by("starts_at")
    return [
        Coming(
            pk=a.pk,
            starts_at=timezone.localtime(a.starts_at, calendar.zone).replace(tzinfo=None),
            with_whom=a.therapist.get_full_name(),
            kind=a.appointment_type.name,
            can_cancel=a.status == Status.BOOKED and a.starts_at - now >= policy,
        )
        for a in found
    ]


def cancellation_hours(client) -> int:
    return ClinicCalendar.of(client.clinic_id).cancellation_hours


class Cancelling(StrEnum):
    DONE = "done"
    ALREADY = "already"  # cancelled before (a second tap, or a page left open)
    TOO_LATE = "too late"


def own_appointment(client, pk: int) -> Appointment:
    """The client's own coming or cancelled appointment; another client's or clinic's, or one
    that has ended, is not found (404)."""
    appointment = (
        Appointment.objects.filter(client=client, clinic_id=client.clinic_id, pk=pk)
        .select_related("therapist")
        .first()
    )
    if appointment is None or (
        appointment.status != Status.CANCELLED and not _coming(client).filter(pk=pk).exists()
    ):
        raise Http404("No such appointment.")
    return appointment


def cancel_appointment(client, pk: int) -> tuple[Cancelling, Appointment]:
    """Cancel the client's own coming appointment if still within the clinic's policy, and say
    what happened. The client's own appointment cancelled already says so; another client's or
    clinic's appointment is not found (404)."""
    appointment = own_appointment(client, pk)
    if appointment.status == Status.CANCELLED:
        return Cancelling.ALREADY, appointment
    if not appointment.can_be_cancelled_by_client():
        return Cancelling.TOO_LATE, appointment
    appointment.cancel(reason=CANCEL_REASON, by_client=True)
    return Cancelling.DONE, appointment


def local_time(appointment: Appointment):
    """The appointment's start on the clinic's wall clock."""
    zone = ClinicCalendar.of(appointment.clinic_id).zone
    return timezone.localtime(appointment.starts_at, zone)


def send_cancellation(request, appointment: Appointment) -> None:
    """Email the client which visit is cancelled: the time, the therapist and the clinic, no
    health data (not even the appointment's type), no record numbers in the link."""
    client = appointment.client
    if not client.email:
        return
    when = local_time(appointment)
    context = {
        "name": client.preferred_name or client.given_names.split()[0],
        "clinic": client.clinic.name,
        "when": when,
        "therapist": appointment.therapist.get_full_name(),
        "url": request.build_absolute_uri(reverse("portal:care")),
    }
    body = render_to_string("portal/email/cancelled.txt", context)
    subject = f"Cancelled: your appointment at {client.clinic.name} on {when:%A %-d %B, %H:%M}"
    EmailMessage(subject, body, from_email=settings.DEFAULT_FROM_EMAIL, to=[client.email]).send()


@dataclass(frozen=True)
class SharedLetter:
    number: int  # its place among the client's shared documents, oldest share first
    title: str
    sent_on: object
    size: int
    url: str


def _shared(client):
    """The client's current shares, oldest first (what numbers them)."""
    return (
        DocumentShare.objects.current()
        .filter(document__client=client, document__clinic_id=client.clinic_id)
        .select_related("document")
        .defer("document__pdf")
        .order_by("shared_at", "id")
    )


def shared_letters(client) -> list[SharedLetter]:
    """The documents the clinic shares with the client now, newest share first."""
    found = [
        SharedLetter(
            number,
            d.title,
            d.issued_at,
            d.size,
            reverse("portal:shared_document", args=[number]),
        )
        for number, d in enumerate((share.document for share in _shared(client)), start=1)
    ]
    return found[::-1]


def shared_document(client, number: int) -> IssuedDocument:
    """The client's `number`th shared document (as ``shared_letters`` numbers them), else 404."""
    found = list(_shared(client).values_list("document_id", flat=True))
    if not 1 <= number <= len(found):
        raise Http404("No such document.")
    return IssuedDocument.objects.get(pk=found[number - 1])
