"""The outcome-measures section of a client's chart: latest score per instrument against the
baseline, the change read against the minimal important change, the reassessment task when it
is due, and links to record more and to the progress page."""

from django.utils import timezone

from kneadwell.measures import progress
from kneadwell.measures.registry import load_instruments
from kneadwell.plans import reassess


def chart_section(request, client) -> dict:
    # The chart view has already checked access and logged the read of the whole chart.
    responses = client.measure_responses.chronological()
    courses = progress.courses(responses)
    return {
        "client": client,
        "courses": courses,
        "review": reassess.review(client, courses, timezone.localdate()),
        # Conditions are not recorded yet, so every instrument is offered.
        "instruments": list(load_instruments().values()),
    }
