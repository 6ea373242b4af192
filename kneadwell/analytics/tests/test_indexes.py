"""The outcomes page's grouped scans read indexes only (issue 17 item 5): every column a scan
reads of a course, a course measure or an adverse count is in the covering index it uses."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kneadwell.analytics.models import Course, CourseAdverse, CourseMeasure
from kneadwell.analytics.tests.helpers import improving, unchanged
from kneadwell.analytics.tests.test_outcomes_views import report_of

pytestmark = pytest.mark.django_db
SUMMARY = {m._meta.db_table: m for m in (Course, CourseMeasure, CourseAdverse)}


def index_columns(model, name):
    """The index's columns, and the key when it is SQLite's rowid (an autoincrement id, which
    every index holds; a course's plan_id is a bigint key and has to be listed)."""
    index = next(i for i in model._meta.indexes if i.name == name)
    found = {model._meta.get_field(f).column for f in index.fields}
    return found | ({"id"} if model._meta.pk.column == "id" else set())


def summary_queries(owner, **filters):
    with CaptureQueriesContext(connection) as captured:
        report_of(owner, **filters)
    return [q["sql"] for q in captured if "analytics_course" in q["sql"] and "GROUP BY" in q["sql"]]


def columns_read(sql, table):
    return set(re.findall(rf'"{table}"\."(\w+)"', sql))


@pytest.mark.parametrize(
    "filters", [{}, {"condition": "chronic_lbp"}, {"measure": "rmdq"}], ids=str
)
def test_every_column_the_grouped_scans_read_is_in_a_covering_index(
    clinic, owner, therapist, filters
):
    improving(clinic, therapist, 3, discharged=True)
    unchanged(clinic, therapist, 2)
    queries = summary_queries(owner, **filters)
    assert len(queries) == 3  # courses, course measures, adverse effects
    course_index = (
        "analytics_course_condition" if filters.get("condition") else ("analytics_course_started")
    )
    covering = {
        "analytics_course": index_columns(Course, course_index),
        "analytics_coursemeasure": index_columns(CourseMeasure, "analytics_measure_cover"),
        "analytics_courseadverse": index_columns(CourseAdverse, "analytics_adverse_cover"),
    }
    assert {"improvement", "band", "time"} <= columns_read(queries[1], "analytics_coursemeasure")
    for sql in queries:
        for table in SUMMARY:
            missing = columns_read(sql, table) - covering[table]
            assert not missing, f"{table} read outside its covering index: {missing}"


def test_sqlite_plans_the_scans_on_the_covering_indexes(clinic, owner, therapist):
    """On SQLite the plan itself says so (PostgreSQL chooses by size and visibility map, so
    there the column check above is what holds)."""
    improving(clinic, therapist, 3, discharged=True)
    queries = summary_queries(owner)
    if connection.vendor != "sqlite":
        assert queries  # the column check covers PostgreSQL
        return
    for sql in queries:
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            plan = [row[-1] for row in cursor.fetchall()]
        reads = [step for step in plan if "analytics_" in step]
        assert reads and all("COVERING INDEX" in step for step in reads), plan
