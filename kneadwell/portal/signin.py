"""Getting into the portal: invitations, sign-in links, desk codes, and their rate limits.

A link request is answered the same way whether or not the address is known, and no sooner
than KNEADWELL_PORTAL_ANSWER_MS, so the answer and its timing say nothing about who is a
client. Every way in also asks the client's date of birth. No health data goes into an email:
the clinic's name, the client's first name and the link.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from kneadwell.audit.models import Action, client_address, log_client_access
from kneadwell.portal.models import (
    Attempt,
    AttemptKind,
    PortalAccount,
    SignInToken,
    TokenKind,
    format_code,
)

LINK_KINDS = [TokenKind.LINK, TokenKind.INVITATION]


def accounts_for_email(email: str):
    """Active portal accounts whose client record has this email address."""
    return PortalAccount.objects.select_related("client__clinic").filter(
        client__email__iexact=email.strip(),
        revoked_at__isnull=True,
        client__archived_at__isnull=True,
    )


def address_is_limited(request) -> bool:
    address = client_address(request) or "unknown"
    return Attempt.recent(AttemptKind.FROM_ADDRESS, address) >= (
        settings.KNEADWELL_PORTAL_TRIES_PER_ADDRESS
    )


def note_address(request) -> None:
    Attempt.note(AttemptKind.FROM_ADDRESS, client_address(request) or "unknown")


def link_request_is_limited(request, email: str) -> bool:
    """Too many link requests for this address, or from this network address, in the hour:
    counted for every address typed, known or not, so the limit reveals nothing either."""
    email = email.strip().lower()
    too_many = Attempt.recent(AttemptKind.LINK_FOR_EMAIL, email) >= (
        settings.KNEADWELL_PORTAL_LINKS_PER_EMAIL
    )
    return too_many or address_is_limited(request)


def send_links(request, email: str) -> int:
    """Send a sign-in link to every portal account whose record has this email address;
    returns how many were sent (for tests and logs; never shown to the person asking)."""
    email = email.strip().lower()
    Attempt.note(AttemptKind.LINK_FOR_EMAIL, email)
    note_address(request)
    sent = 0
    for account in accounts_for_email(email):
        _, secret = SignInToken.issue(account, TokenKind.LINK)
        _send(request, account, secret, "sign_in")
        sent += 1
    return sent


def send_invitation(request, account: PortalAccount) -> None:
    """Email the client an invitation link (valid for days, used once)."""
    _, secret = SignInToken.issue(account, TokenKind.INVITATION)
    _send(request, account, secret, "invitation")


def issue_desk_code(account: PortalAccount) -> str:
    """A code for the desk to print or read out, shown once, e.g. ABCD-EFGH-JKMN."""
    _, secret = SignInToken.issue(account, TokenKind.DESK_CODE)
    return format_code(secret)


def _send(request, account: PortalAccount, secret: str, template: str) -> None:
    client = account.client
    context = {
        "name": client.preferred_name or client.given_names.split()[0],
        "clinic": client.clinic.name,
        "url": request.build_absolute_uri(reverse("portal:link", args=[secret])),
        "minutes": settings.KNEADWELL_PORTAL_LINK_MINUTES,
        "days": settings.KNEADWELL_PORTAL_INVITATION_DAYS,
    }
    subjects = {
        "sign_in": f"Your sign-in link for the {client.clinic.name} client portal",
        "invitation": f"{client.clinic.name} invites you to its client portal",
    }
    body = render_to_string(f"portal/email/{template}.txt", context)
    EmailMessage(subjects[template], body, to=[client.email]).send()


def answer_no_sooner(
    started: float,
    *,
    floor_ms: int | None = None,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> float:
    """Wait until `floor_ms` after `started` (a monotonic time); returns the seconds waited."""
    floor = (settings.KNEADWELL_PORTAL_ANSWER_MS if floor_ms is None else floor_ms) / 1000
    remaining = started + floor - clock()
    if remaining > 0:
        sleep(remaining)
        return remaining
    return 0.0


@dataclass(frozen=True)
class Outcome:
    """What came of a sign-in try: the account signed in, or a message saying what to do."""

    account: PortalAccount | None = None
    message: str = ""


LINK_GONE = (
    "This sign-in link has already been used or has expired (links work once, for "
    "{minutes} minutes). Ask for a new one below."
)
TOO_MANY = (
    "There have been too many tries to sign in. Wait an hour and try again, or ask the "
    "clinic for help."
)
CODE_WRONG = (
    "That code and date of birth do not match an invitation. Check both, or ask the clinic for "
    "a new code."
)


def link_gone() -> str:
    return LINK_GONE.format(minutes=settings.KNEADWELL_PORTAL_LINK_MINUTES)


def account_is_limited(account: PortalAccount) -> bool:
    count = Attempt.recent(AttemptKind.FAILED_FOR_ACCOUNT, str(account.pk))
    return count >= settings.KNEADWELL_PORTAL_FAILURES_PER_ACCOUNT


def redeem(request, token: SignInToken | None, born: date, *, code: bool = False) -> Outcome:
    """Sign in with a usable token and the client's date of birth. A wrong date counts
    against the token (three and it stops working), the account and the network address."""
    if address_is_limited(request):
        return Outcome(message=TOO_MANY)
    if token is None:
        note_address(request)
        return Outcome(message=CODE_WRONG if code else link_gone())
    account = token.account
    client = account.client
    if account_is_limited(account):
        return Outcome(message=TOO_MANY)
    if client.birth_date != born:
        left = token.fail()
        Attempt.note(AttemptKind.FAILED_FOR_ACCOUNT, str(account.pk))
        note_address(request)
        log_client_access(request, client, Action.VIEW, "portal sign-in refused: wrong birth date")
        if code:
            return Outcome(message=CODE_WRONG)
        if left == 0:
            return Outcome(message="That date of birth does not match. " + link_gone())
        tries = "try" if left == 1 else "tries"
        return Outcome(
            message=f"That date of birth does not match our record. Check it and try again "
            f"({left} {tries} left with this link)."
        )
    with transaction.atomic():
        if not token.redeem():
            return Outcome(message=CODE_WRONG if code else link_gone())
        account.record_sign_in()
        log_client_access(request, client, Action.VIEW, f"portal sign-in ({token.kind})")
    return Outcome(account=account)
