"""Keeps each clinic's course summary true to its records, without anything below calling up.

Every outcomes view first calls `refresh(clinic_id)`. It finds the clients whose records
changed since the last refresh (a visit saved or signed, a score recorded, a plan started, a
discharge, which saves the client) and recomputes only their courses, so a note signed or a
plan closed shows on the next page view. A change in the rules (the instrument files, the
change reading or this app's reading of a course) rebuilds the whole clinic, as does
`kneadwell outcomes rebuild`, which also covers records written straight into the database.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.utils import timezone

from kneadwell.accounts.models import Clinic
from kneadwell.analytics import summary
from kneadwell.analytics.models import Course, CourseAdverse, CourseMeasure, RefreshState
from kneadwell.clients.models import Client
from kneadwell.knowledge.instruments import change
from kneadwell.knowledge.instruments.registry import load_instruments
from kneadwell.measures.models import Response
from kneadwell.plans.models import Discharge, Plan, PlanStatus, PlanVersion
from kneadwell.visits.models import Visit, VisitStatus

# Rows are found by their saved-at time. A row saved shortly before a refresh but committed
# after it (a web request lives well under this margin) changes the count of that window, and
# the window is then looked at again.
OVERLAP = timedelta(minutes=2)
BATCH = 400  # clients per round trip when recomputing


@functools.cache
def rules_fingerprint() -> str:
    """What the summary depends on besides the records: every instrument definition (its
    thresholds, bands and scales), the change reading and this app's reading of a course.
    Cached: none of them changes while the server runs."""
    digest = hashlib.sha256()
    for instrument in load_instruments().values():
        digest.update(instrument.model_dump_json().encode())
    for module in (change, summary):
        digest.update(inspect.getsource(module).encode())
    return digest.hexdigest()


def refresh(clinic_id: int, now: datetime | None = None) -> int:
    """Bring the clinic's summary up to date; returns how many clients were recomputed."""
    now = now or timezone.now()
    state = RefreshState.objects.filter(clinic_id=clinic_id).first()
    rules = rules_fingerprint()
    if state is not None and state.rules == rules and not look(clinic_id, state, now)[0]:
        return 0  # the common case reads and never takes the write lock
    with transaction.atomic():
        # The clinic's row, not the state's, is locked: the state may not exist yet, and two
        # first views rebuilding at once wrote the same courses twice on PostgreSQL.
        Clinic.objects.select_for_update().filter(pk=clinic_id).exists()
        state = RefreshState.objects.filter(clinic_id=clinic_id).first()
        everything = state is None or state.rules != rules
        if everything:
            window = look(clinic_id, None, now)[1]
            Course.objects.filter(clinic_id=clinic_id).delete()
            clients = list(Client.objects.filter(clinic_id=clinic_id).values_list("pk", flat=True))
        else:
            found, window = look(clinic_id, state, now)
            clients = sorted(found)
        recompute(clinic_id, clients)
        RefreshState.objects.update_or_create(
            clinic_id=clinic_id, defaults={"refreshed_at": now, "rules": rules, "window": window}
        )
    if everything:
        _analyse()
    return len(clients)


def _analyse() -> None:
    """After a whole clinic was rewritten, let PostgreSQL's planner see the summary's new
    sizes at once rather than when autovacuum next passes (until then it plans the page's
    joins for tables it believes empty). SQLite plans from its indexes and needs nothing."""
    if connection.vendor == "postgresql":
        tables = [m._meta.db_table for m in (Course, CourseMeasure, CourseAdverse)]
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {', '.join(tables)}")


def rebuild(clinic_id: int) -> int:
    """Recompute every course of the clinic from scratch."""
    RefreshState.objects.filter(clinic_id=clinic_id).delete()
    return refresh(clinic_id)


def _changes(clinic_id: int):
    """What can change a course, each as rows with the time they were saved."""
    return (
        (Visit.objects.filter(clinic_id=clinic_id), "updated_at", "client_id"),
        (Response.objects.filter(clinic_id=clinic_id), "created_at", "client_id"),
        (Plan.objects.filter(clinic_id=clinic_id), "created_at", "client_id"),
        # A discharge saves the client (and closes its plans); so does any change to the record.
        (Client.objects.filter(clinic_id=clinic_id), "updated_at", "pk"),
    )


def look(clinic_id: int, state: RefreshState | None, now: datetime) -> tuple[set[int], list[int]]:
    """The clients with a row saved since the last refresh (and since OVERLAP before it when a
    row saved just before it committed later: the counts of that window no longer match), and
    how many rows of each kind were saved in the OVERLAP before `now`, to keep for the next
    look. One query per kind of row, reading only the rows saved since the last refresh, so
    its cost follows what changed, not the size of the clinic's records. Rows stamped after
    `now` (a clock ahead) are left for the look that comes after their time."""
    refreshed = min(state.refreshed_at, now) if state is not None else now
    start = refreshed - OVERLAP
    saved = [
        list(
            rows.filter(**{f"{field}__gte": start, f"{field}__lt": now})
            .order_by()
            .values_list(client, field)
        )
        for rows, field, client in _changes(clinic_id)
    ]
    window = [sum(1 for _, at in rows if at >= now - OVERLAP) for rows in saved]
    if state is None:
        return set(), window
    before = [sum(1 for _, at in rows if at < refreshed) for rows in saved]
    since = refreshed if before == state.window else start
    return {client for rows in saved for client, at in rows if at >= since}, window


def recompute(clinic_id: int, client_ids: Sequence[int]) -> None:
    """Replace the summary rows of these clients with freshly computed ones."""
    for start in range(0, len(client_ids), BATCH):
        batch = list(client_ids[start : start + BATCH])
        CourseMeasure.objects.filter(course__client_id__in=batch).delete()
        CourseAdverse.objects.filter(course__client_id__in=batch).delete()
        Course.objects.filter(client_id__in=batch).delete()
        courses, measures, adverse = [], [], []
        for client_id, found in _summaries(batch).items():
            for course in found:
                courses.append(_course_row(clinic_id, client_id, course))
                measures += [
                    CourseMeasure(course_id=course.plan_id, **vars(m)) for m in course.measures
                ]
                adverse += [
                    CourseAdverse(course_id=course.plan_id, kind=k, severity=s, count=n)
                    for (k, s), n in course.adverse.items()
                ]
        Course.objects.bulk_create(courses, batch_size=500)
        CourseMeasure.objects.bulk_create(measures, batch_size=500)
        CourseAdverse.objects.bulk_create(adverse, batch_size=500)


def _course_row(clinic_id: int, client_id: int, course: summary.CourseSummary) -> Course:
    return Course(
        plan_id=course.plan_id,
        clinic_id=clinic_id,
        client_id=client_id,
        condition=course.condition,
        started_on=course.started_on,
        closed=course.closed,
        ended_on=course.ended_on,
        last_activity_on=course.last_activity_on,
        sessions=course.sessions,
        first_of_condition=course.first_of_condition,
    )


def _summaries(client_ids: Iterable[int]) -> dict[int, list[summary.CourseSummary]]:
    """Load what these clients' courses are made of, in five queries, and summarise them."""
    plans: dict[int, list[summary.PlanFacts]] = defaultdict(list)
    schedules = dict(
        PlanVersion.objects.filter(plan__client_id__in=client_ids, number=1).values_list(
            "plan_id", "measures"
        )
    )
    for pk, client_id, condition, created_at, status in Plan.objects.filter(
        client_id__in=client_ids
    ).values_list("pk", "client_id", "condition", "created_at", "status"):
        plans[client_id].append(
            summary.PlanFacts(
                id=pk,
                condition=condition,
                created_on=_local_day(created_at),
                closed=status == PlanStatus.CLOSED,
                measures=schedules.get(pk) or {},
            )
        )
    sessions: dict[int, list[summary.SessionFacts]] = defaultdict(list)
    for pk, client_id, plan_id, day, start, adverse in Visit.objects.filter(
        client_id__in=client_ids, status=VisitStatus.SIGNED, plan_version__isnull=False
    ).values_list(
        "pk", "client_id", "plan_version__plan_id", "visit_date", "start_time", "adverse_effects"
    ):
        sessions[client_id].append(
            summary.SessionFacts(plan_id, day, (start.isoformat() if start else "", pk), adverse)
        )
    scores: dict[int, list[summary.ScoreFacts]] = defaultdict(list)
    for pk, client_id, instrument, taken_at, score, subscores, band in Response.objects.filter(
        client_id__in=client_ids
    ).values_list("pk", "client_id", "instrument", "taken_at", "score", "subscores", "band"):
        scores[client_id].append(
            summary.ScoreFacts(
                instrument, _local_day(taken_at), (taken_at, pk), score, subscores or {}, band
            )
        )
    discharges: dict[int, list] = defaultdict(list)
    for client_id, at in Discharge.objects.filter(client_id__in=client_ids).values_list(
        "client_id", "discharged_at"
    ):
        discharges[client_id].append(_local_day(at))
    return {
        client_id: summary.summarise_client(
            found, sessions[client_id], scores[client_id], discharges[client_id]
        )
        for client_id, found in plans.items()
    }


def _local_day(moment: datetime):
    return timezone.localtime(moment).date()
