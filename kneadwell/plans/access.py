"""The one way to fetch a plan for the person making a request."""

from django.http import Http404

from kneadwell.clients.access import get_client_for_user
from kneadwell.plans.models import Plan


def get_plan_for_user(request, client_pk, plan_pk) -> Plan:
    """The plan if its client is one this person may see clinically, else 404 (or 403)."""
    client = get_client_for_user(request, client_pk, clinical=True)
    try:
        return client.plans.select_related("client").get(pk=plan_pk)
    except (Plan.DoesNotExist, ValueError):
        raise Http404("No such plan.") from None
