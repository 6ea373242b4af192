"""What clients sent in through the portal, as the clinic sees it: on the chart's portal
section and on the review of an intake sent from home."""

from __future__ import annotations

from kneadwell.portal import intake as steps
from kneadwell.portal.models import IntakeStatus, PortalIntake
from kneadwell.screening import enforce
from kneadwell.screening.findings import describe, intake_summary


def for_chart(client, sees_clinical: bool) -> dict:
    """What came in: details the client changed (everyone sees these); for clinical staff also
    intakes sent or under way (and any alert an answer raised), the latest check-ins and open
    correction requests."""
    found = {"changes": list(client.portal_detail_changes.filter(seen_at=None))}
    if sees_clinical:
        found |= {
            "intakes": list(client.portal_intakes.exclude(status=IntakeStatus.ACCEPTED)),
            "checkins": list(client.portal_checkins.select_related("visit")[:3]),
            "corrections": list(client.portal_corrections.filter(closed_at=None)),
        }
    return found


def intake_review(record: PortalIntake, form) -> dict:
    """The answers in the chart's words, what the clinic's rules find in them, and what is still
    missing before the intake can be accepted."""
    answers = form.answers() if form.is_valid() else steps.partial_answers(record.data)
    findings = enforce.findings_for(record.client, answers)
    values = steps.merged(record.data)
    return {
        "summary": intake_summary({**answers, **_texts(values)}),
        "findings": describe(findings),
        "signature": (values.get("signature") or [""])[0],
        "signed_on": (values.get("signed_on") or [""])[0],
        "missing": [] if form.is_valid() else _problems(form),
    }


def _texts(values: dict) -> dict:
    return {
        key: (values.get(key) or [""])[0]
        for key in ("complaint", "onset", "duration", "medications", "goals")
    }


def _problems(form) -> list[str]:
    return [
        f"{form.fields[name].label}: {' '.join(errors)}"
        if name in form.fields
        else " ".join(errors)
        for name, errors in form.errors.items()
    ]
