"""The portal's part of the Demo Clinic: two clients with portal access, one screened with a
check-in and a questionnaire waiting, one who has not done the intake yet; and fresh desk codes
for them each time the demo starts (a code is shown once and stored only as a hash)."""

from __future__ import annotations

from dataclasses import dataclass

from kneadwell.accounts.models import Role
from kneadwell.clients.models import Client
from kneadwell.portal import checkin, questionnaires, signin
from kneadwell.portal.models import PortalAccount
from kneadwell.screening import enforce


@dataclass(frozen=True)
class DemoClient:
    name: str
    email: str
    born: str  # as the client types it: day month year
    code: str
    waiting: str  # what the portal asks of them


def populate(clinic) -> list[PortalAccount]:
    """Invite the demo's portal clients (once); returns their accounts."""
    if PortalAccount.objects.filter(client__clinic=clinic).exists():
        return []
    owner = clinic.memberships.filter(role=Role.OWNER).first()
    by = owner.user if owner else None
    return [PortalAccount.invite(client, by) for client in _chosen(clinic)]


def _chosen(clinic) -> list[Client]:
    """A screened client with a check-in pending and a questionnaire due, and one without an
    intake (the clinic's first of each, by record number)."""
    screened = unscreened = None
    for client in clinic.clients.filter(archived_at=None).order_by("pk"):
        if enforce.latest_screening(client) is None:
            unscreened = unscreened or client
        elif screened is None and checkin.pending(client) and questionnaires.due(client):
            if not enforce.enforce(client, []).blocked:
                screened = client
        if screened and unscreened:
            break
    return [c for c in (screened, unscreened) if c is not None]


def desk_codes(clinic) -> list[DemoClient]:
    """A new desk code for each demo portal client, and what is waiting for them."""
    found = []
    accounts = PortalAccount.objects.filter(client__clinic=clinic, revoked_at=None)
    for account in accounts.select_related("client").order_by("client_id"):
        client = account.client
        if enforce.latest_screening(client) is None:
            waiting = "the intake to fill in at home"
        else:
            due = len(questionnaires.due(client))
            waiting = "a check-in before the visit" if checkin.pending(client) else ""
            if due:
                noun = "questionnaire" if due == 1 else "questionnaires"
                waiting += f"{' and ' if waiting else ''}{due} {noun}"
        found.append(
            DemoClient(
                name=client.display_name,
                email=client.email,
                born=f"{client.birth_date.day} {client.birth_date.month} {client.birth_date.year}",
                code=signin.issue_desk_code(account),
                waiting=waiting or "nothing right now",
            )
        )
    return found
