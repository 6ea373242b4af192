"""The one way to fetch a visit for the person making a request."""

from django.http import Http404

from kneadwell.clients.access import get_client_for_user
from kneadwell.visits.models import Visit


def get_visit_for_user(request, client_pk, visit_pk) -> Visit:
    """The visit if its client is one this person may see clinically, else 404 (or 403)."""
    client = get_client_for_user(request, client_pk, clinical=True)
    try:
        return client.visits.select_related("client", "therapist", "signed_by").get(pk=visit_pk)
    except (Visit.DoesNotExist, ValueError):
        raise Http404("No such visit.") from None
