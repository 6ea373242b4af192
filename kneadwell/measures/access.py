"""The one way to fetch a recorded response for the person making a request."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from kneadwell.clients.access import clients_for
from kneadwell.measures.models import Response


def responses_for(membership):
    """Responses of the clients this person may see (their clinic's, or a therapist's own)."""
    return Response.objects.filter(client__in=clients_for(membership))


def get_response_for_user(request, pk) -> Response:
    """The response `pk` if this person may see its client, else 404; front desk gets 403,
    because every response is clinical content."""
    try:
        response = responses_for(request.membership).select_related("client").get(pk=pk)
    except (Response.DoesNotExist, ValueError, TypeError):
        raise Http404("No such response.") from None
    if not request.membership.sees_clinical:
        raise PermissionDenied("Front-desk accounts do not see clinical content.")
    return response
