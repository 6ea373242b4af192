"""The plan and visits sections of a client's chart."""

from kneadwell.plans.models import Plan
from kneadwell.visits.models import Visit
from kneadwell.visits.notes import last_signed_visit


def chart_section(request, client) -> dict:
    visits = list(Visit.objects.filter(client=client).select_related("therapist")[:20])
    plans = list(Plan.objects.filter(client=client).prefetch_related("versions"))
    return {
        "plans": plans,
        "visits": visits,
        "can_start_from_last": last_signed_visit(client) is not None,
    }
