"""Reminder emails, claimed so each goes out once: a worker takes a due reminder with one
conditional UPDATE (nobody else can then take it), sends it, and marks it sent. A claim left by a
worker that died between claim and send runs out after CLAIM_MINUTES and the reminder is taken
again; a failed send gives its claim back at once so the task's retry sends it.

No health data in the email: the time, the therapist's name, the clinic's address, a signed link
to cancel within the policy (no name in it) and the portal's check-in link."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage, get_connection
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from kneadwell.appointments.models import Appointment, ClinicCalendar, Status
from kneadwell.audit.models import Action, log_client_access

log = logging.getLogger(__name__)

CLAIM_MINUTES = 10
SALT = "kneadwell.appointments.cancel"


class SendFailed(Exception):
    """Some reminders could not be sent; the task retries them."""


def due(now=None):
    now = now or timezone.now()
    return Appointment.objects.filter(
        status=Status.BOOKED,
        reminder_sent_at__isnull=True,
        reminder_due_at__lte=now,
        starts_at__gt=now,
    ).exclude(client__email="")


def claim(pk: int, now=None) -> bool:
    """Take one due reminder, atomically: True for exactly one worker."""
    now = now or timezone.now()
    stale = now - timedelta(minutes=CLAIM_MINUTES)
    taken = (
        due(now)
        .filter(pk=pk)
        .filter(Q(reminder_claimed_at__isnull=True) | Q(reminder_claimed_at__lt=stale))
        .update(reminder_claimed_at=now, reminder_attempts=F("reminder_attempts") + 1)
    )
    return taken == 1


def send_due(now=None, connection=None) -> int:
    """Send every due reminder this worker can claim; raises SendFailed (after trying all)
    when any send failed, so the periodic task's retry tries again. Returns the number sent."""
    now = now or timezone.now()
    sent, failed = 0, 0
    for pk in list(due(now).values_list("pk", flat=True)):
        if not claim(pk, now):
            continue
        appointment = Appointment.objects.select_related("client", "therapist", "clinic").get(pk=pk)
        try:
            message(appointment, connection).send()
        except Exception:  # SMTP down, refused, timed out: try again on the retry
            log.warning("Reminder for appointment %s could not be sent; will retry.", pk)
            Appointment.objects.filter(pk=pk).update(reminder_claimed_at=None)
            failed += 1
            continue
        Appointment.objects.filter(pk=pk).update(reminder_sent_at=timezone.now())
        sent += 1
    if failed:
        raise SendFailed(f"{failed} reminder(s) could not be sent.")
    return sent


def token_for(appointment: Appointment) -> str:
    return signing.dumps(appointment.pk, salt=SALT, compress=True)


def appointment_for_token(token: str) -> Appointment | None:
    try:
        pk = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    return (
        Appointment.objects.select_related("clinic", "therapist", "appointment_type")
        .filter(pk=pk)
        .first()
    )


def email_context(appointment: Appointment) -> dict:
    calendar = ClinicCalendar.of(appointment.clinic_id)
    base = settings.KNEADWELL_BASE_URL.rstrip("/")
    starts = appointment.starts_at.astimezone(calendar.zone)
    return {
        "starts": starts,
        "when": f"{starts:%A %-d %B %Y at %H:%M}",
        "therapist": appointment.therapist.get_full_name() or "your therapist",
        "clinic": appointment.clinic.name,
        "address": calendar.address,
        "policy_hours": calendar.cancellation_hours,
        "can_cancel": appointment.can_be_cancelled_by_client(),
        "cancel_url": base + reverse("appointments:public_cancel", args=[token_for(appointment)]),
        "checkin_url": base + reverse("portal:checkin"),
    }


def message(appointment: Appointment, connection=None) -> EmailMessage:
    context = email_context(appointment)
    body = render_to_string("appointments/email/reminder.txt", context)
    subject = f"Your appointment at {context['clinic']} on {context['starts']:%A %-d %B, %H:%M}"
    return EmailMessage(
        subject, body, to=[appointment.client.email], connection=connection or get_connection()
    )


def log_client_cancel(request, appointment: Appointment) -> None:
    log_client_access(request, appointment.client, Action.UPDATE, "appointment (cancelled)")
