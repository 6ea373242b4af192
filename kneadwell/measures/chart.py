"""The outcome-measures section of a client's chart: latest score per instrument against the
baseline, the change read against the minimal important change, the reassessment task when it
is due, and links to record more and to the progress page."""

from django.utils import timezone

from kneadwell.knowledge.instruments.registry import load_instruments
from kneadwell.knowledge.loader import load_knowledge
from kneadwell.measures import progress
from kneadwell.plans import reassess


def chart_section(request, client) -> dict:
    # The chart view has already checked access and logged the read of the whole chart.
    responses = client.measure_responses.chronological()
    courses = progress.courses(responses)
    return {
        "client": client,
        "courses": courses,
        "review": reassess.review(client, courses, timezone.localdate()),
        **_instruments(client),
    }


def _instruments(client) -> dict:
    """The questionnaires the client's conditions call for first (knowledge base), then the rest."""
    knowledge = load_knowledge()
    intake = client.intakes.order_by("-id").first()
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
