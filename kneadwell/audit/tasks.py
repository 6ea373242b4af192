"""Background jobs of the access log, run by `kneadwell worker` (huey)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from kneadwell.audit import statistics


@db_periodic_task(crontab(minute="17", hour="3"))
def refresh_planner_statistics() -> bool:
    """Nightly: the planner's statistics, so a growing log keeps using the right index."""
    return statistics.refresh()
