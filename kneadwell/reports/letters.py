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
from django.utils.safestring import mark_safe

from kneadwell.knowledge.loader import load_knowledge
from kneadwell.measures import graphs, progress
from kneadwell.reports.discharge import measure_rows, since_last_discharge
from kneadwell.reports.reassess import trial_text
from kneadwell.screening.enforce import latest_screening
from kneadwell.screening.findings import current_findings, describe
from kneadwell.visits.models import Visit, VisitStatus


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
        context={
            "decision": decision,
            "measures": measure_rows(courses),
            "visits": visits.count(),
            "trial": trial_text(load_knowledge().plans.get(decision.plan.template)),
        },
    )


def progress_letter(client, *, clinic, author, ask: str = "", dated: date | None = None) -> Letter:
    """The progress report to the physician, filled from the record of the current course:
    conditions with their codes, each plan and its changes, visits attended against planned,
    every measure from baseline to latest against its minimal important change (with its
    chart), side effects, safety findings and clearances, and what the therapist asks."""
    since = since_last_discharge(client)
    responses = client.measure_responses.chronological()
    visits = Visit.objects.filter(client=client, status=VisitStatus.SIGNED)
    if since is not None:
        responses = responses.filter(taken_at__gt=since)
        visits = visits.filter(visit_date__gt=timezone.localtime(since).date())
    courses = progress.courses(list(responses))
    plans = list(client.plans.prefetch_related("versions").order_by("created_at", "id"))
    visits = list(
        visits.order_by("visit_date", "id").only("visit_date", "plan_version_id", "adverse_effects")
    )
    findings, cleared = current_findings(client)
    return Letter(
        kind="progress",
        clinic=clinic,
        client=client,
        author=author,
        dated=dated or timezone.localdate(),
        context={
            "conditions": conditions(client, plans),
            "plans": plan_rows(plans, visits),
            "visits": len(visits),
            "first_visit": visits[0].visit_date if visits else None,
            "last_visit": visits[-1].visit_date if visits else None,
            "measures": measure_rows(courses),
            "charts": charts(courses, plans),
            "adverse": adverse_rows(visits),
            "findings": describe(findings, cleared),
            "screened": screened_on(client),
            "clearances": list(client.clearances.all()[:5]),
            "ask": ask,
        },
    )


def screened_on(client):
    """The date of the latest safety screening, or None when the client was never screened: a
    letter must not read "no findings" as "screened and clear"."""
    latest = latest_screening(client)
    return timezone.localtime(latest.at).date() if latest else None


def conditions(client, plans) -> list[dict]:
    """The client's conditions (from the plans, then the latest intake) with ICD-10-CM codes."""
    knowledge = load_knowledge()
    intake = client.intakes.order_by("-id").first()
    ids = [p.condition for p in plans] + list(
        intake.answers.get("conditions", []) if intake else []
    )
    rows = []
    for condition_id in dict.fromkeys(ids):
        condition = knowledge.conditions.get(condition_id)
        if condition is not None:
            codes = [c for c in condition.icd10cm if c.default] or condition.icd10cm[:1]
            rows.append({"id": condition.id, "name": condition.name, "codes": codes})
    return rows


def plan_rows(plans, visits) -> list[dict]:
    """Each plan: its versions (what changed, when) and signed visits against those planned."""
    rows = []
    for plan in plans:
        versions = sorted(plan.versions.all(), key=lambda v: v.number)
        version_ids = {v.pk for v in versions}
        current = versions[-1] if versions else None
        rows.append(
            {
                "plan": plan,
                "current": current,
                "changes": [v for v in versions if v.number > 1],
                "attended": sum(1 for v in visits if v.plan_version_id in version_ids),
                "planned": current.planned_sessions if current else None,
            }
        )
    return rows


def charts(courses, plans) -> list[dict]:
    """The SVG chart of each change measure, with the plan's changes marked."""
    marks = [
        graphs.Mark(timezone.localtime(v.created_at).date(), f"Plan v{v.number}")
        for plan in plans
        for v in plan.versions.all()
        if v.number > 1
    ]
    return [
        # graphs.svg escapes every piece of text it writes.
        {"series": series, "svg": mark_safe(graphs.svg(series))}  # noqa: S308
        for course in courses
        if course.instrument.change_measure == "score"
        for series in graphs.series_for(course, marks)
    ]


def adverse_rows(visits) -> list[dict]:
    """Side effects recorded at the visits, in words."""
    names = load_knowledge().adverse_effect_types
    rows = []
    for visit in visits:
        for effect in visit.adverse_effects or []:
            kind = effect.get("kind", "")
            entry = names.get(kind)
            rows.append({"date": visit.visit_date, "name": entry.name if entry else kind, **effect})
    return rows
