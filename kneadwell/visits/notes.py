"""Starting, filling and signing a visit note. Views call these; they hold the workflow rules."""

from datetime import datetime, time

from django.db import transaction
from django.utils import timezone

from kneadwell.measures.models import Response
from kneadwell.plans.models import Plan, PlanStatus
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


def start_visit(client, therapist, *, from_last: bool) -> Visit:
    """A new draft note; with from_last, pre-filled from the last signed visit's pattern."""
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
    visit.save()
    return visit


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
