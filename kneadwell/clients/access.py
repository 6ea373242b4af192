"""The one way to fetch clients for the person making a request: scoped to their clinic and role."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from kneadwell.accounts.models import Membership
from kneadwell.clients.models import Client


def clients_for(membership: Membership):
    """Clients this person may see: owners and front desk see the clinic's, therapists their own."""
    clients = Client.objects.filter(clinic_id=membership.clinic_id)
    if membership.is_therapist:
        clients = clients.filter(therapists=membership.user_id)
    return clients


def get_client_for_user(request, pk, *, clinical: bool = False) -> Client:
    """The client `pk` if this person may see it, else 404 (other clinics' ids reveal nothing).

    With clinical=True the page shows clinical content, which front desk may not see (403).
    """
    try:
        client = clients_for(request.membership).get(pk=pk)
    except (Client.DoesNotExist, ValueError, TypeError):
        raise Http404("No such client.") from None
    if clinical and not request.membership.sees_clinical:
        raise PermissionDenied("Front-desk accounts do not see clinical content.")
    return client
