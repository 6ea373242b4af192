"""The one way to fetch library entries and a clinic's rule adjustments for a request."""

from django.db.models import QuerySet
from django.http import Http404

from kneadwell.accounts.models import Membership
from kneadwell.knowledge.loader import load_knowledge
from kneadwell.knowledge.models import RuleAdjustment
from kneadwell.knowledge.schema import Entry


def get_entry_or_404(table: str, entry_id: str) -> Entry:
    """The knowledge-base entry with this id, or 404."""
    try:
        return getattr(load_knowledge(), table)[entry_id]
    except KeyError:
        raise Http404("No such entry in the library.") from None


def adjustments_for(membership: Membership) -> QuerySet[RuleAdjustment]:
    """The rule adjustments of this person's clinic; every member may read them."""
    return RuleAdjustment.objects.filter(clinic_id=membership.clinic_id).select_related(
        "changed_by"
    )


def get_adjustment_for_user(request, pk) -> RuleAdjustment:
    """The adjustment `pk` if it belongs to this person's clinic, else 404."""
    try:
        return adjustments_for(request.membership).get(pk=pk)
    except (RuleAdjustment.DoesNotExist, ValueError, TypeError):
        raise Http404("No such rule adjustment.") from None
