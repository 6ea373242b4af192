"""What the client is asked to do now, for the portal's home page."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from kneadwell.portal import checkin, questionnaires
from kneadwell.portal import intake as steps
from kneadwell.portal.models import IntakeStatus, PortalIntake


@dataclass(frozen=True)
class Task:
    title: str
    text: str
    url: str


def tasks(client) -> list[Task]:
    found = []
    intake = PortalIntake.current(client)
    if not client.intakes.exists() and (intake is None or intake.is_open):
        found.append(
            Task(
                "Fill in your intake",
                "Tell your therapist about your health before your first visit (about 10 "
                "minutes; you can stop and come back).",
                reverse("portal:intake"),
            )
        )
    if checkin.pending(client):
        found.append(
            Task(
                "Check in before your visit",
                "How you are today, in about 2 minutes.",
                reverse("portal:checkin"),
            )
        )
    for number, spec in enumerate(questionnaires.due(client), start=1):
        found.append(
            Task(
                f"Answer the {spec.name}",
                "Your plan asks for it now.",
                reverse("portal:questionnaire", args=[number]),
            )
        )
    return found


def advice(client) -> list:
    """The advice an answer in the intake under way called for, shown again on the home page."""
    intake = PortalIntake.current(client)
    if intake is None or not intake.alert_tier:
        return []
    return steps.check_answers(client, intake.data)


def waiting(client) -> str:
    """A line about what the clinic is doing with what the client sent, or ""."""
    intake = PortalIntake.current(client)
    if intake is not None and intake.status == IntakeStatus.SUBMITTED:
        return "Your therapist has your intake and will go through it with you."
    return ""
