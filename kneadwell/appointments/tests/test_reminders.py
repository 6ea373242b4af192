"""Reminders: sent once, retried after a failing mail server, not lost when a worker dies
between claiming and sending. The task function runs directly with a chosen mail backend."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.urls import reverse

from kneadwell.appointments import reminders, tasks
from kneadwell.appointments.models import Appointment, Status
from kneadwell.appointments.tests.helpers import MONDAY, at

DUE = at(MONDAY, 10) - timedelta(hours=23)  # the reminder goes out 24 hours before


class Refusing(EmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP server down")


@pytest.fixture
def booked(appointment):
    appointment.client.email = "ada@example.org"
    appointment.client.save()
    return appointment


def test_a_reminder_is_sent_once_however_often_the_task_runs(booked, settings):
    settings.KNEADWELL_BASE_URL = "https://clinic.example"
    with time_machine.travel(DUE, tick=False):
        assert tasks.send_reminders.call_local() == 1
        assert tasks.send_reminders.call_local() == 0
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["ada@example.org"]
    assert "Monday 1 March 2027 at 10:00, with Tara" in email.body
    assert "1 Willow Lane, Exampleton" in email.body
    # Sent 23 hours before, inside the 24-hour policy: no cancel link that no longer works.
    assert "/appointment/cancel/" not in email.body
    assert "please call Willow" in email.body and "too late to cancel online" in email.body
    assert "https://clinic.example/portal/check-in/" in email.body  # the pre-visit check-in
    # No name or health data in the link or the subject.
    assert email.subject.endswith("on Monday 1 March, 10:00")  # the day as in the body, no 01
    assert "Ada" not in email.subject and "Lovelace" not in email.body
    booked.refresh_from_db()
    assert booked.reminder_sent_at is not None and booked.reminder_attempts == 1


def test_a_reminder_sent_before_the_policy_closes_carries_the_cancel_link(booked, settings):
    from kneadwell.appointments.models import ClinicCalendar

    settings.KNEADWELL_BASE_URL = "https://clinic.example"
    ClinicCalendar.objects.filter(clinic_id=booked.clinic_id).update(reminder_hours=48)
    Appointment.objects.filter(pk=booked.pk).update(reminder_due_at=booked.reminder_time())
    with time_machine.travel(at(MONDAY, 10) - timedelta(hours=47), tick=False):
        assert tasks.send_reminders.call_local() == 1
    assert "https://clinic.example/appointment/cancel/" in mail.outbox[0].body
    assert "too late to cancel" not in mail.outbox[0].body


def test_nothing_is_sent_before_it_is_due_or_for_a_cancelled_appointment(booked, desk):
    with time_machine.travel(DUE - timedelta(hours=2), tick=False):
        assert reminders.send_due() == 0
    booked.cancel(by=desk, reason="Called", now=DUE - timedelta(hours=1))
    with time_machine.travel(DUE, tick=False):
        assert reminders.send_due() == 0
    assert mail.outbox == []


def test_a_failed_send_is_retried_and_then_sent_once(booked):
    with time_machine.travel(DUE, tick=False):
        with pytest.raises(reminders.SendFailed):
            reminders.send_due(connection=Refusing())
        booked.refresh_from_db()
        assert booked.reminder_sent_at is None and booked.reminder_claimed_at is None
        assert reminders.send_due() == 1  # the retry
    assert len(mail.outbox) == 1
    booked.refresh_from_db()
    assert booked.reminder_attempts == 2


def test_the_task_retries_after_a_failure():
    assert tasks.send_reminders.task_class.default_retries == 3
    assert tasks.send_reminders.task_class.default_retry_delay == 60


def test_a_worker_that_died_after_claiming_leaves_the_reminder_to_the_next_one(booked):
    with time_machine.travel(DUE, tick=False):
        assert reminders.claim(booked.pk)  # ...and the worker dies before sending
        assert reminders.send_due() == 0  # another worker: still claimed, not sent twice
    later = DUE + timedelta(minutes=reminders.CLAIM_MINUTES + 1)
    with time_machine.travel(later, tick=False):
        assert reminders.send_due() == 1
    assert len(mail.outbox) == 1


def test_only_one_of_two_workers_claims_a_reminder(booked):
    with time_machine.travel(DUE, tick=False):
        assert reminders.claim(booked.pk) is True
        assert reminders.claim(booked.pk) is False


def test_the_link_cancels_within_the_policy_and_not_after(booked, client):
    token = reminders.token_for(booked)
    url = reverse("appointments:public_cancel", args=[token])
    assert str(booked.client_id) not in url.replace(token, "")
    with time_machine.travel(at(MONDAY, 10) - timedelta(hours=20), tick=False):
        page = client.get(url).content.decode()
        assert "too late to cancel here" in page
        client.post(url)
    booked.refresh_from_db()
    assert booked.status == Status.BOOKED
    with time_machine.travel(at(MONDAY, 10) - timedelta(days=2), tick=False):
        page = client.post(url).content.decode()
    assert "Your appointment is cancelled" in page
    booked.refresh_from_db()
    assert booked.status == Status.CANCELLED and booked.cancelled_by_client
    assert booked.cancelled_late is False


def test_a_forged_link_is_not_found(booked, client):
    url = reverse("appointments:public_cancel", args=["x" + reminders.token_for(booked)[1:]])
    assert client.get(url).status_code == 404


def test_a_move_schedules_a_new_reminder(booked, desk):
    with time_machine.travel(DUE, tick=False):
        reminders.send_due()
    booked.move(starts_at=at(MONDAY, 14), ends_at=at(MONDAY, 14, 45), by=desk)
    fresh = Appointment.objects.get(pk=booked.pk)
    assert fresh.reminder_sent_at is None
    assert fresh.reminder_due_at == at(MONDAY, 14) - timedelta(hours=24)
