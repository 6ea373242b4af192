"""The client's chart page, composed here because it shows every step of the workflow: the
safety summary (screening), outcome measures with the reassessment task (measures, plans), and
plans and visits. Each section is a plain dict for its partial template."""

from django.db.models import Count
from django.utils import timezone

from kneadwell.appointments.models import Appointment, ClinicCalendar
from kneadwell.knowledge.instruments.registry import load_instruments
from kneadwell.knowledge.loader import load_knowledge
from kneadwell.plans.models import Plan, PlanStatus
from kneadwell.reports import reassess
from kneadwell.reports.pages import page_of
from kneadwell.screening.findings import safety_summary
from kneadwell.visits.models import Visit
from kneadwell.visits.notes import last_signed_visit

LATEST_VISITS = 10  # the rest are on the client's visit list, a page at a time
PLANS_PER_PAGE = 5
# The columns the chart's visit list shows (not the note's text and JSON).
VISIT_COLUMNS = ("id", "client_id", "visit_date", "start_time", "status", "nprs", "therapist")
_UNREAD = object()


def chart_context(client, *, sees_clinical: bool, plans_page: str | None = None) -> dict:
    """Everything the chart page shows; clinical sections only for those who see them."""
    context = {
        "client": client,
        "therapists": client.therapists.all(),
        "sees_clinical": sees_clinical,
        "appointments": appointments_section(client),
    }
    if sees_clinical:
        context["screening"] = safety_summary(client)
        context["measures"] = measures_section(
            client,
            intake=context["screening"]["intake"],
            active_plans=context["appointments"]["plans"],
        )
        context["visits"] = visits_section(client, plans_page)
    return context


def measures_section(client, intake=_UNREAD, active_plans: list | None = None) -> dict:
    """Latest score per instrument against the baseline, the change read against the minimal
    important change, the reassessment task when it is due, and what to record next.
    `intake` and `active_plans` (oldest first): what the page has read already."""
    courses = client.measure_responses.course_ends()
    return {
        "client": client,
        "courses": courses,
        "review": reassess.review(client, courses, timezone.localdate(), active_plans),
        **suggested_instruments(client, intake),
    }


def suggested_instruments(client, intake=_UNREAD) -> dict:
    """The questionnaires the client's conditions call for first (knowledge base), then the rest."""
    knowledge = load_knowledge()
    if intake is _UNREAD:
        intake = client.intakes.first()  # the latest
    wanted: list[str] = []
    for condition_id in intake.answers.get("conditions", []) if intake else []:
        condition = knowledge.conditions.get(condition_id)
        if condition is None:
            continue
        m = condition.measures
        for instrument in [*m.baseline, *m.every_visit, *m.periodic, *m.end_of_course]:
            if instrument not in wanted:
                wanted.append(instrument)
    instruments = load_instruments()
    return {
        "suggested": [instruments[i] for i in wanted if i in instruments],
        "instruments": [i for i in instruments.values() if i.id not in wanted],
    }


def visits_section(client, plans_page: str | None = None) -> dict:
    """The client's latest plans (a page of them, newest first) and latest visits; the rest are
    a page away, so the section costs the same for 1,000 visits as for 10."""
    latest = Visit.objects.filter(client=client).select_related("therapist").only(*VISIT_COLUMNS)
    visits = list(latest[:LATEST_VISITS])
    plans = Plan.objects.filter(client=client).annotate(version_count=Count("versions"))
    # The last signed visit is searched for only when the latest visits do not already tell.
    short = len(visits) < LATEST_VISITS
    return {
        "plans": page_of(plans.order_by("-created_at", "-id"), plans_page, PLANS_PER_PAGE),
        "visits": visits,
        "visit_count": Visit.objects.filter(client=client).count() if visits else 0,
        "can_start_from_last": any(v.is_signed for v in visits)
        or (not short and last_signed_visit(client) is not None),
    }


def appointments_section(client, limit: int = 10) -> dict:
    """The client's coming appointments and the latest past ones, each with its visit note."""
    now = timezone.now()
    rows = Appointment.objects.filter(client=client).select_related(
        "therapist", "appointment_type", "visit"
    )
    return {
        "zone": ClinicCalendar.of(client.clinic_id).zone,
        "coming": list(rows.filter(starts_at__gte=now).order_by("starts_at")[:limit]),
        "past": list(rows.filter(starts_at__lt=now).order_by("-starts_at")[:limit]),
        "plans": list(client.plans.filter(status=PlanStatus.ACTIVE).order_by("created_at")),
    }
