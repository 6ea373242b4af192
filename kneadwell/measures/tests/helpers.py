"""Small builders for the measures tests."""

from datetime import timedelta

from django.utils import timezone

from kneadwell.measures.models import Response

ODI_LICENSED = {
    "instrument": "odi",
    "version": "2.1a",
    "licence": "Test licence no. 1",
    "copyright_notice": "© Test holder",
    "items": [
        {
            "id": str(n),
            "text": f"Licensed question {n}",
            "options": [f"Wording {n}.{k}" for k in range(6)],
        }
        for n in range(1, 11)
    ],
}


def odi_answers(*values):
    return {str(n): v for n, v in enumerate(values, 1)}


def record_series(client, instrument, answer_sets, *, days_apart=7, **context):
    """Record one response per answer set, a week apart, oldest first."""
    start = timezone.now() - timedelta(days=days_apart * len(answer_sets))
    return [
        Response.record(
            client, instrument, answers, taken_at=start + timedelta(days=days_apart * n), **context
        )
        for n, answers in enumerate(answer_sets)
    ]
