"""What the progress page shows: a chart and table per measure of the current course, with
marks where the plan changed, and the reassessment task.

The page costs about the same for a course of 1,000 visits as for 10: a chart draws at most
`graphs.MOST_POINTS` points (one median per period beyond that), each table shows one page of
its scores (the latest first; `?table=N&page=P` turns the pages of the N-th table, so every
score stays reachable), and the decisions and discharge summaries come a page at a time."""

from django.core.paginator import Paginator
from django.utils import timezone
from django.utils.safestring import mark_safe

from kneadwell.measures import graphs, progress
from kneadwell.plans.models import PlanVersion
from kneadwell.reports import reassess
from kneadwell.reports.discharge import since_last_discharge
from kneadwell.reports.forms import ReassessmentForm

TABLE_ROWS = 20
DECISIONS_PER_PAGE = 10
DISCHARGES_PER_PAGE = 10


def context(client, query=None) -> dict:
    """`query` holds the page's paging choices (request.GET): table, page, decisions."""
    query = query or {}
    since = since_last_discharge(client)
    responses = client.measure_responses.chronological().defer("answers", "notes")
    if since is not None:
        responses = responses.filter(taken_at__gt=since)
    courses = progress.courses(list(responses))
    versions = PlanVersion.objects.filter(plan__client=client, number__gt=1)
    if since is not None:
        versions = versions.filter(created_at__gt=since)
    marks = [
        graphs.Mark(timezone.localtime(v.created_at).date(), f"Plan v{v.number}")
        for v in versions.order_by("-created_at")[: graphs.MOST_POINTS]
    ][::-1]
    review = reassess.review(client, courses, timezone.localdate())
    charted, number = [], 0
    for course in courses:
        charts = []
        for series in graphs.series_for(course, marks):
            number += 1
            wanted = query.get("page") if str(number) == query.get("table") else None
            charts.append(_graph(series, number, wanted))
        charted.append({"course": course, "charts": charts})
    decisions = None
    if review is not None:
        decisions = Paginator(
            review.plan.reassessments.select_related("by"), DECISIONS_PER_PAGE
        ).get_page(query.get("decisions"))
    discharges = Paginator(client.discharges.select_related("by"), DISCHARGES_PER_PAGE)
    return {
        "client": client,
        "charted": charted,
        "review": review,
        "decisions": decisions,
        "form": ReassessmentForm(choices=review.option_choices) if review else None,
        "discharges": discharges.get_page(query.get("discharges")),
    }


def _graph(series, number: int, page: str | None) -> dict:
    """One series: its chart (thinned beyond graphs.MOST_POINTS) and one page of its table,
    the latest scores unless another page is asked for."""
    drawn = graphs.thinned(series)
    rows = Paginator(graphs.table_rows(series), TABLE_ROWS)
    return {
        "number": number,
        "series": drawn,
        # graphs.svg escapes every piece of text it writes.
        "svg": mark_safe(graphs.svg(drawn)),  # noqa: S308
        "rows": rows.get_page(page or rows.num_pages),
        "period": graphs.period_words(drawn.period_days) if drawn.period_days else "",
    }
