"""The outcome-measures section of a client's chart: latest score per instrument against the
baseline, the change read against the minimal important change, and links to record more."""

from kneadwell.measures import progress
from kneadwell.measures.registry import load_instruments


def chart_section(request, client) -> dict:
    # The chart view has already checked access and logged the read of the whole chart.
    responses = client.measure_responses.chronological()
    return {
        "client": client,
        "courses": progress.courses(responses),
        # Conditions are not recorded yet, so every instrument is offered.
        "instruments": list(load_instruments().values()),
    }
