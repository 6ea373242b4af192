"""Background jobs of the calendar, run by `kneadwell worker` (huey)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from kneadwell.appointments import reminders


@db_periodic_task(crontab(minute="*"), retries=3, retry_delay=60)
def send_reminders() -> int:
    """Every minute: send the reminders that are due (claimed, so never twice)."""
    return reminders.send_due()
