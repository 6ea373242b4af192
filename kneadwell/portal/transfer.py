"""The portal's part of a clinic export (`interop.records.client_part`): whether the client has
portal access, since when, who invited them, when they last signed in, and whether it was
revoked. Never a secret: sign-in links, desk codes and sessions stay behind, so after a move
the client signs in with a new link (the clinic sends one from the chart, or prints a code)."""

from __future__ import annotations

from typing import Any

from kneadwell.interop import records
from kneadwell.portal.models import PortalAccount

# `generation` numbers the sessions of this installation; a moved account starts afresh.
SKIP = ("client", "generation")


def dump(client, link) -> dict[str, Any] | None:
    account = PortalAccount.objects.filter(client=client).first()
    return None if account is None else records.dump(account, link, skip=SKIP)


def load(client, data: dict[str, Any], resolve) -> None:
    if not isinstance(data, dict):
        raise records.RecordError("its portal access is not an object")
    unknown = sorted(set(data) & set(SKIP))
    if unknown:
        raise records.RecordError(f"unknown fields for PortalAccount: {', '.join(unknown)}")
    records.create(PortalAccount, records.load(PortalAccount, data, resolve), client=client)


def register() -> None:
    records.client_part("portal_account", dump, load)
