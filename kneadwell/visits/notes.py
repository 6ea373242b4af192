"""Starting, filling and signing a visit note. Views call these; they hold the workflow rules."""

from datetime import datetime, time

from django.db import transaction
from django.utils import timezone

from kneadwell.measures.models import Response
from kneadwell.plans.models import Plan, PlanStatus
from kneadwell.screening import enforce as screening
from kneadwell.screening.models import ScreeningKind
from kneadwell.visits.models import Visit, VisitStatus

# Fields "start from last visit" carries over: the usual pattern of a follow-up.
CARRIED_OVER = ["duration_minutes", "pain_regions", "treated_regions", "treatment", "home_advice"]


def current_plan_version(client):
    plan = (
        Plan.objects.filter(client=client, status=PlanStatus.ACTIVE)
        .prefetch_related("versions")
        .order_by("-created_at")
        .first()
    )
    return plan.current() if plan else None


def last_signed_visit(client) -> Visit | None:
    return client.visits.filter(status=VisitStatus.SIGNED).order_by("-visit_date", "-id").first()


def start_warnings(client) -> list[str]:
    """What the therapist should know before starting a note: the client is discharged, or the
    screening blocks treatment (in the screening's own words)."""
    warnings = []
    if client.is_discharged:
        when = timezone.localtime(client.discharged_at).date() if client.discharged_at else None
        on = f" on {when:%Y-%m-%d}" if when else ""
        warnings.append(
            f"{client.display_name} was discharged{on}: that course of care is closed. For a new "
            "course, start a new plan (the client is then in treatment again)."
        )
    result = screening.enforce(client, [])
    if result.blocked:
        warnings.append(result.message)
    return warnings


@transaction.atomic
def start_for_appointment(appointment, user) -> Visit:
    """The appointment's note: its draft if it has one, else a new follow-up draft (from the last
    signed visit when there is one) linked to it, dated at the appointment's time."""
    existing = Visit.objects.filter(appointment=appointment).first()
    if existing is not None:
        return existing
    client = appointment.client
    from_last = last_signed_visit(client) is not None
    visit = start_visit(client, appointment.therapist, from_last=from_last, fresh=True)
    local = timezone.localtime(appointment.starts_at, appointment.clinic_zone())
    visit.appointment = appointment
    visit.visit_date, visit.start_time = local.date(), local.time().replace(second=0)
    visit.duration_minutes = visit.duration_minutes or appointment.minutes
    if appointment.plan_id:
        visit.plan_version = appointment.plan.current() or visit.plan_version
    visit.save()
    return visit


@transaction.atomic
def start_visit(client, therapist, *, from_last: bool, fresh: bool = False) -> Visit:
    """A new draft note; with from_last, pre-filled from the last signed visit's pattern.

    Asking twice (a double click, a second tab) gives the same untouched draft, not another
    (unless `fresh`: an appointment's note is its own).
    """
    type(client).objects.select_for_update().filter(pk=client.pk).exists()  # one at a time
    visit = Visit(
        clinic_id=client.clinic_id,
        client=client,
        therapist=therapist,
        plan_version=current_plan_version(client),
        start_time=timezone.localtime().time().replace(second=0, microsecond=0),
    )
    last = last_signed_visit(client) if from_last else None
    if last is not None:
        for name in CARRIED_OVER:
            setattr(visit, name, getattr(last, name))
    elif visit.plan_version is not None:
        visit.duration_minutes = visit.plan_version.session_minutes
    twin = None if fresh else _untouched_twin(visit)
    if twin is not None:
        return twin
    visit.checkin = todays_checkin(client)
    visit.save()
    return visit


def _untouched_twin(visit: Visit) -> Visit | None:
    """Today's draft by the same therapist that nobody has typed into and that starts the same."""
    drafts = visit.client.visits.filter(
        appointment__isnull=True,
        therapist=visit.therapist,
        status=VisitStatus.DRAFT,
        visit_date=visit.visit_date,
        draft_saved_at__isnull=True,
        plan_version=visit.plan_version,
    )
    for draft in drafts.order_by("-id"):
        if all(getattr(draft, name) == getattr(visit, name) for name in CARRIED_OVER):
            return draft
    return None


# --- The every-visit red-flag check-in (sciatica, stenosis) --------------------------------------


def checkin_conditions(client) -> list[str]:
    """The client's conditions whose red flags are asked again at every visit; none: no check-in."""
    latest = screening.latest_screening(client)
    return screening.rescreen_conditions(latest.answers) if latest else []


def todays_checkin(client):
    """A check-in recorded today on its own page and not yet part of a note, or None."""
    latest = screening.latest_screening(client)
    if latest is None or latest.kind != ScreeningKind.VISIT_CHECKIN:
        return None
    if timezone.localtime(latest.at).date() != timezone.localdate():
        return None
    return None if Visit.objects.filter(checkin=latest).exists() else latest


def checkin_missing(visit: Visit) -> bool:
    """True while the client needs today's check-in and this note has none."""
    return visit.checkin_id is None and bool(checkin_conditions(visit.client))


def record_checkin(
    visit: Visit, red_flags: dict[str, bool], user, today: dict[str, bool] | None = None
) -> bool:
    """Store today's answers as a check-in screening for this note (the newest screening, so its
    findings are the ones enforced), unless this note already has exactly these answers.
    ``today``: the check-in items (a fever, symptomatic high blood pressure) present today.
    True when a screening was recorded."""
    today = today or {}
    if visit.checkin is not None:
        stored = visit.checkin.answers.get("red_flags", {})
        present = set(visit.checkin.answers.get("findings", [])) | set(
            visit.checkin.answers.get("history", [])
        )
        if all(stored.get(flag) == answer for flag, answer in red_flags.items()) and all(
            (item in present) == answer for item, answer in today.items()
        ):
            return False
    latest = screening.latest_screening(visit.client)
    visit.checkin = screening.record_checkin(visit.client, latest, red_flags, user, today=today)
    Visit.objects.filter(pk=visit.pk).update(checkin=visit.checkin)
    return True


def other_every_visit_measures(visit: Visit) -> list[str]:
    """The questionnaires the plan asks for at every visit besides the NPRS, which the note's
    "pain now" records."""
    wanted = visit.plan_version.measures.get("every_visit", []) if visit.plan_version else []
    return [instrument for instrument in wanted if instrument != "nprs"]


def draft_data(post) -> dict:
    """What the therapist typed, exactly, as lists per field (the CSRF token left out)."""
    return {key: post.getlist(key) for key in post if key != "csrfmiddlewaretoken"}


def apply(visit: Visit, form, treatment: list[dict], adverse: list[dict]) -> None:
    """Copy validated form values onto the visit (not saved)."""
    for name, value in form.cleaned_data.items():
        if name != "override_reason":
            setattr(visit, name, value)
    visit.treatment = treatment
    visit.adverse_effects = adverse


def save_valid(visit: Visit) -> None:
    """The structured fields are current: no separate raw draft is needed."""
    visit.draft_data = None
    visit.draft_saved_at = timezone.now()
    visit.save()


def save_raw_draft(visit: Visit, post) -> None:
    """Keep exactly what was typed, valid or not, without touching the structured fields.

    An update, not save(): a ModelForm that was validated has already copied values onto the
    in-memory instance, and those must not reach the database unchecked.
    """
    visit.draft_data = draft_data(post)
    visit.draft_saved_at = timezone.now()
    Visit.objects.filter(pk=visit.pk, status=VisitStatus.DRAFT).update(
        draft_data=visit.draft_data, draft_saved_at=visit.draft_saved_at
    )


@transaction.atomic
def sign(visit: Visit, user) -> None:
    """Lock the note; the pain rating joins the client's NPRS series for progress charts."""
    visit.sign(user)
    if visit.nprs is not None:
        when = datetime.combine(visit.visit_date, visit.start_time or time(12, 0))
        Response.record(
            visit.client,
            "nprs",
            {"1": visit.nprs},
            recall="now",
            taken_at=timezone.make_aware(when),
            entered_by=user,
        )


# --- Filled in by the client (the portal's check-in) ---------------------------------------------


def open_draft(client) -> Visit | None:
    """The client's newest draft note, which a check-in from home fills in."""
    return client.visits.filter(status=VisitStatus.DRAFT).order_by("-visit_date", "-id").first()


def fill_subjective(
    visit: Visit, *, nprs: int | None, report: str, changes: str, adverse: list[dict]
) -> None:
    """Add what the client reported before the visit to the draft's subjective part: pain now,
    their report, changes since the last visit and side-effect rows. What the therapist has
    typed is kept (the raw draft too); a signed note is never touched (NoteLocked)."""
    visit.nprs = nprs if nprs is not None else visit.nprs
    visit.client_report = _joined(visit.client_report, report)
    visit.changes_since_last = _joined(visit.changes_since_last, changes)
    visit.adverse_effects = [*(visit.adverse_effects or []), *adverse]
    if visit.draft_data:
        visit.draft_data = _filled_draft(visit.draft_data, nprs, report, changes, adverse)
    visit.save()


def _joined(before: str, added: str) -> str:
    return "\n".join(text for text in (before.strip(), added.strip()) if text)


def _filled_draft(data: dict, nprs, report: str, changes: str, adverse: list[dict]) -> dict:
    """The same additions in a raw draft, which the note shows instead of the stored fields."""
    data = dict(data)
    if nprs is not None:
        data["nprs"] = [str(nprs)]
    data["client_report"] = [_joined((data.get("client_report") or [""])[0], report)]
    data["changes_since_last"] = [_joined((data.get("changes_since_last") or [""])[0], changes)]
    total = int((data.get("ae-TOTAL_FORMS") or ["0"])[0] or 0)
    for row in adverse:
        for key, value in row.items():
            data[f"ae-{total}-{key}"] = [str(value)]
        total += 1
    data["ae-TOTAL_FORMS"] = [str(total)]
    data.setdefault("ae-INITIAL_FORMS", ["0"])
    return data
