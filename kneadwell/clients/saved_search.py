"""The client list's search text, kept between requests in the session but unreadable there.

Search text is a name, a phone number or a date of birth. It travels in a POST (never a URL)
and is kept in the session so the list and its pages remember it. Django's session row is
only signed, not encrypted, so the text is encrypted first (Fernet: AES with an HMAC, from
`cryptography`) with a key derived from SECRET_KEY. Nothing else needs storing or cleaning up,
and a changed SECRET_KEY or an expired token simply forgets the search.
"""

import base64

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.utils.crypto import salted_hmac

from kneadwell.clients import search

SESSION_KEY = "client_search"


def _fernet() -> Fernet:
    key = salted_hmac("kneadwell.clients.saved_search", "fernet key", algorithm="sha256").digest()
    return Fernet(base64.urlsafe_b64encode(key))


def keep(session, text: str) -> None:
    """Remember `text` (encrypted) as this session's client search; empty text forgets it."""
    if text:
        session[SESSION_KEY] = _fernet().encrypt(text.encode()).decode("ascii")
    else:
        session.pop(SESSION_KEY, None)


def recall(session) -> str:
    """This session's client search, or "" when there is none or it can no longer be read."""
    token = session.get(SESSION_KEY)
    if not token:
        return ""
    try:
        text = _fernet().decrypt(token, ttl=settings.SESSION_COOKIE_AGE).decode()
        search.parse(text)  # kept by an older version that read it differently: forget it
    except (InvalidToken, TypeError, ValueError):  # search.SearchError is a ValueError
        return ""
    return text
