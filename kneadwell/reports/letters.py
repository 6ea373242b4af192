"""Letters to the client's physician. One machine writes every letter (the referral after a
screening finding, the referral when a course is not helping, and later progress reports): the
letterhead, addressee, identification and sign-off are written once, and each kind adds only its
own paragraphs, so the screen, print and PDF versions are the same HTML."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from kneadwell.measures import progress
from kneadwell.reports.discharge import measure_rows
from kneadwell.screening.findings import describe
from kneadwell.visits.models import VisitStatus


@dataclass(frozen=True)
class Letter:
    """A letter from the clinic about one client to their physician."""

    kind: str  # the body template under reports/letters/
    clinic: Any
    client: Any
    author: Any
    dated: date
    urgency: str = ""
    context: dict = field(default_factory=dict)

    def html(self) -> str:
        body = f"reports/letters/{self.kind}.html"
        return render_to_string("reports/partials/letter.html", {"letter": self, "body": body})


def referral_letter(client, finding, note: str, request) -> Letter:
    """A screening finding the physician should assess, with what the therapist has done, from
    the signed-in therapist today."""
    described = describe([finding])[0]
    return Letter(
        kind="referral",
        clinic=request.membership.clinic,
        client=client,
        author=request.user,
        dated=timezone.localdate(),
        urgency=described.tier_label,
        context={"finding": described, "note": note},
    )


def reassessment_letter(decision, *, clinic) -> Letter:
    """A course that brought no meaningful improvement by its reassessment: the scores up to the
    decision and the visits on the plan."""
    client = decision.client
    responses = client.measure_responses.filter(taken_at__lte=decision.decided_at)
    courses = progress.courses(list(responses.chronological()))
    visits = client.visits.filter(status=VisitStatus.SIGNED, plan_version__plan=decision.plan)
    return Letter(
        kind="reassessment",
        clinic=clinic,
        client=client,
        author=decision.by,
        dated=timezone.localtime(decision.decided_at).date(),
        context={"decision": decision, "measures": measure_rows(courses), "visits": visits.count()},
    )
