"""Screening and enforcement against the database: the clinic's rules, the latest screening,
physicians' clearances and overrides. The decisions themselves are engine.py's.

Visit notes call ``enforce`` before a visit is saved or signed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from kneadwell.audit.models import AccessLogEntry, Action, Channel, client_address
from kneadwell.clients.models import Client
from kneadwell.knowledge.adjust import effective_rules
from kneadwell.knowledge.loader import load_knowledge
from kneadwell.knowledge.schema import ContraindicationRule
from kneadwell.screening import engine
from kneadwell.screening.models import (
    Intake,
    Override,
    ReferralTask,
    Screening,
    ScreeningKind,
)

NO_SCREENING = "No screening is recorded for this client. Complete the intake before treating."


def clinic_rules(clinic_id: int) -> Mapping[str, ContraindicationRule]:
    """The contraindication rules as this clinic has adjusted them."""
    return effective_rules(clinic_id)


def evaluate_for(
    clinic_id: int, answers: Mapping[str, Any], *, age: int | None = None
) -> list[engine.Finding]:
    """Findings for stored-style answers under one clinic's rules.

    ``age`` (from the client's birth date, today) feeds the combination rules' age feature; it
    is never stored with the answers, so it is always current.
    """
    values = {**answers, "age": age} if age is not None else answers
    return engine.evaluate(
        engine.ScreeningAnswers.from_dict(values), clinic_rules(clinic_id), load_knowledge()
    )


def findings_for(client: Client, answers: Mapping[str, Any]) -> list[engine.Finding]:
    """Findings for one client's answers, with the client's age today."""
    return evaluate_for(client.clinic_id, answers, age=client.age())


def record_screening(client: Client, answers: dict, kind: str, user, intake=None) -> Screening:
    """Evaluate the answers, store the screening with a snapshot of its findings, and open a
    referral task for each new finding whose tier asks for one."""
    findings = findings_for(client, answers)
    with transaction.atomic():
        screening = Screening.objects.create(
            client=client,
            intake=intake,
            kind=kind,
            answers=answers,
            findings=[f.to_dict() for f in findings],
            created_by=user,
        )
        open_referral_tasks(client, screening, findings)
    return screening


def open_referral_tasks(client: Client, screening: Screening, findings) -> list[ReferralTask]:
    """A task per finding that needs a referral and has none yet for its current run.

    A finding that keeps appearing at check-ins keeps its one task (open or done); one that
    went away and came back gets a new task.
    """
    wanted = engine.referral_findings(findings)
    if not wanted:
        return []
    earlier = list(client.screenings.latest_first().exclude(pk=screening.pk).only("at", "findings"))
    tasks = {t.finding_id: t for t in client.referral_tasks.order_by("created_at")}
    today = timezone.localdate()
    created = []
    for finding in wanted:
        since = _run_start(earlier, finding.id, screening.at)
        task = tasks.get(finding.id)
        if task is not None and task.created_at >= since:
            continue
        created.append(
            ReferralTask.objects.create(
                client=client,
                finding_id=finding.id,
                name=finding.name,
                tier=finding.tier,
                due_on=today + timedelta(days=finding.referral_due_days),
                screening=screening,
                created_at=screening.at,
            )
        )
    return created


def _run_start(screenings, finding_id: str, now):
    """When the unbroken run of screenings raising this finding began (newest first)."""
    since = now
    for screening in screenings:
        if finding_id not in screening.finding_ids():
            break
        since = screening.at
    return since


def latest_screening(client: Client) -> Screening | None:
    return client.screenings.latest_first().first()


def rescreen_conditions(answers: Mapping[str, Any]) -> list[str]:
    """The client's conditions whose every-visit red flags are asked again at each visit."""
    conditions = load_knowledge().conditions
    return [
        c
        for c in answers.get("conditions", [])
        if c in conditions and conditions[c].rescreen_every_visit
    ]


def checkin_answers(
    screening: Screening, red_flags: Mapping[str, bool], today: Mapping[str, bool] | None = None
) -> dict:
    """The latest answers with the every-visit red flags, and the check-in items (a fever, high
    blood pressure with symptoms), replaced by today's answers."""
    answers = dict(screening.answers)
    answers["red_flags"] = {**answers.get("red_flags", {}), **red_flags}
    kb = load_knowledge()
    for item, present in (today or {}).items():
        key = "findings" if item in kb.findings else "history"
        values = [v for v in answers.get(key, []) if v != item]
        answers[key] = values + [item] if present else values
    return answers


def cleared_ids(
    client: Client, findings: Iterable[engine.Finding], clearances: list | None = None
) -> set[str]:
    """Ids of findings a physician has cleared since they last appeared.

    A clearance counts from the first screening of an unbroken run that raised the finding, so
    a check-in that raises it again keeps it cleared, but a finding that went away and came back
    needs a new clearance. `clearances`: the client's clearances when already read.
    """
    clearances = list(client.clearances.all()) if clearances is None else clearances
    if not clearances:  # nothing to read the screenings against (most clients)
        return set()
    # The client column too: the related manager reads it on every row (one query each if
    # deferred).
    screenings = list(client.screenings.latest_first().only("at", "findings", "client"))
    return cleared_among(findings, screenings, clearances)


def cleared_among(findings: Iterable[engine.Finding], screenings, clearances) -> set[str]:
    """``cleared_ids`` over one client's screenings (newest first) and clearances in hand."""
    cleared = set()
    for finding in findings:
        since = _run_start(screenings, finding.id, None)
        for clearance in clearances:
            names = set(clearance.finding_ids)
            if (finding.id in names or finding.source in names) and (
                since is None or clearance.recorded_at >= since
            ):
                cleared.add(finding.id)
    return cleared


@dataclass
class EnforcementResult:
    """What enforcement decided for a planned or delivered treatment."""

    allowed: bool
    blocked: bool
    message: str
    screening: Screening | None = None
    findings: list[engine.Finding] = field(default_factory=list)
    blocking: list[engine.Finding] = field(default_factory=list)
    violations: list[engine.Violation] = field(default_factory=list)
    overrides: list[Override] = field(default_factory=list)
    cleared: set[str] = field(default_factory=set)  # finding ids a physician has cleared


def enforce(
    client: Client,
    treatment: Iterable[engine.TreatmentItem | Mapping[str, Any]],
    *,
    override_reason: str | None = None,
    user=None,
    request=None,
    channel: str = Channel.UI,
) -> EnforcementResult:
    """Check a treatment against the latest screening, under the clinic's current rules.

    Without a reason, anything forbidden comes back as violations (and blocking findings as
    ``blocked``). With a reason, each is stored as an Override and written to the access log.
    """
    items = [engine.as_treatment_item(entry) for entry in treatment]
    screening = latest_screening(client)
    if screening is None:
        return EnforcementResult(allowed=False, blocked=True, message=NO_SCREENING)
    answers = dict(screening.answers)
    treated = {item.region for item in items}
    answers["treated_regions"] = sorted(set(answers.get("treated_regions", [])) | treated)
    findings = findings_for(client, answers)
    cleared = cleared_ids(client, findings)
    blocking = engine.blocking_findings(findings, cleared)
    violations = engine.check_treatment(findings, items, load_knowledge(), cleared)
    result = EnforcementResult(
        allowed=not blocking and not violations,
        blocked=bool(blocking),
        message=_message(blocking, violations),
        screening=screening,
        findings=findings,
        blocking=blocking,
        violations=violations,
        cleared=cleared,
    )
    # An emergency or a systemic deferral is lifted only by a physician's clearance or a new
    # screening, never by a reason typed here; a reason overrides technique, region, pressure
    # and position limits.
    reason = (override_reason or "").strip()
    if reason and violations and not blocking:
        result.overrides = _record_overrides(
            client, screening, violations, reason, user or request.user, request, channel
        )
        result.allowed = True
        result.message = f"Allowed with {len(result.overrides)} override(s) recorded."
    return result


def _message(blocking, violations) -> str:
    if blocking:
        tiers = load_knowledge().tiers

        def why(finding) -> str:
            tier = tiers[finding.tier]
            return tier.name.lower() if tier.blocks_treatment else "defers the session"

        names = "; ".join(f"{f.name} ({why(f)})" for f in blocking)
        return (
            f"Treatment is blocked by {names}. Record a physician's clearance or a new "
            "screening (a check-in) without this finding, and refer the client if you have not."
        )
    if violations:
        return f"{len(violations)} part(s) of this treatment are forbidden by the findings."
    return "Nothing in this treatment is forbidden by the findings."


def _record_overrides(client, screening, violations, reason, user, request, channel):
    rows = [
        Override(
            client=client,
            screening=screening,
            finding_id=v.finding_id,
            violation=v.kind,
            technique=v.technique,
            region=v.region,
            pressure=v.pressure,
            position=v.position,
        )
        for v in violations
    ]
    with transaction.atomic():
        for row in rows:
            row.reason = reason
            row.by = user
            row.save()
            _log_override(client, row, user, request, channel)
    return rows


def _log_override(client, row: Override, user, request, channel) -> None:
    AccessLogEntry.append(
        clinic_id=client.clinic_id,
        user_id=user.pk,
        user_email=user.email,
        client_id=client.pk,
        action=Action.OVERRIDE,
        what=f"safety override: {engine.finding_name(row.finding_id, load_knowledge())} "
        f"({row.violation})",
        channel=channel,
        address=client_address(request) if request is not None else None,
    )


def record_intake(client: Client, answers: dict, user) -> tuple[Intake, Screening]:
    """Store an intake and the screening of its answers."""
    with transaction.atomic():
        intake = Intake.objects.create(client=client, answers=answers, created_by=user)
        screening = record_screening(client, answers, ScreeningKind.INTAKE, user, intake=intake)
    return intake, screening


def record_checkin(
    client: Client, previous: Screening, red_flags: dict, user, today: dict | None = None
) -> Screening:
    """Store a visit check-in: the latest answers with today's every-visit red flags and, in
    ``today``, what is present today (history item or finding id: True or False)."""
    answers = checkin_answers(previous, red_flags, today)
    return record_screening(
        client, answers, ScreeningKind.VISIT_CHECKIN, user, intake=previous.intake
    )
