"""What the progress page shows: a chart and table per measure of the current course, with
marks where the plan changed, and the reassessment task."""

from django.utils import timezone
from django.utils.safestring import mark_safe

from kneadwell.measures import graphs, progress
from kneadwell.plans.models import PlanVersion
from kneadwell.reports import reassess
from kneadwell.reports.discharge import since_last_discharge
from kneadwell.reports.forms import ReassessmentForm


def context(client) -> dict:
    since = since_last_discharge(client)
    responses = client.measure_responses.chronological()
    if since is not None:
        responses = responses.filter(taken_at__gt=since)
    courses = progress.courses(list(responses))
    versions = PlanVersion.objects.filter(plan__client=client, number__gt=1)
    marks = [
        graphs.Mark(timezone.localtime(v.created_at).date(), f"Plan v{v.number}")
        for v in versions.order_by("created_at")
    ]
    review = reassess.review(client, courses, timezone.localdate())
    return {
        "client": client,
        "charted": [
            {"course": course, "charts": [_graph(s) for s in graphs.series_for(course, marks)]}
            for course in courses
        ],
        "review": review,
        "form": ReassessmentForm(choices=review.option_choices) if review else None,
        "discharges": client.discharges.select_related("by"),
    }


def _graph(series) -> dict:
    return {
        "series": series,
        # graphs.svg escapes every piece of text it writes.
        "svg": mark_safe(graphs.svg(series)),  # noqa: S308
        "rows": graphs.table_rows(series),
    }
