"""The query planner's statistics, kept fresh so that the access log's filters pick their index.

SQLite gathers no statistics by itself: without them its planner reads a date filter
(`since`, `until`) through the (clinic, time) index and sorts every entry of the range, which
at ten million entries means sorting a year of them, even when a client or person filter has
an index that yields the page at once. `ANALYZE` with a row limit per index
(`analysis_limit`) takes a fraction of a second on any size of file and gives the planner the
figures it needs. PostgreSQL's autovacuum keeps its own statistics; nothing to do there.
"""

from django.db import connections

# Rows sampled per index: enough for the planner to tell a client's entries from a year's.
ANALYSIS_LIMIT = 1000


def refresh(using: str = "default") -> bool:
    """Refresh SQLite's planner statistics (sampled); whether anything was done."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
        cursor.execute("ANALYZE")
    return True
