"""Portal test helpers: a client with portal access, and a browser signed in as them through
the real sign-in (a link and the date of birth)."""

import re

import pytest
from django.core import mail
from django.test import Client as HttpClient
from django.urls import reverse

from kneadwell.conftest import make_client
from kneadwell.portal.models import PortalAccount, SignInToken, TokenKind

BORN = {"day": "10", "month": "12", "year": "1965"}  # make_client's default birth date


@pytest.fixture(autouse=True)
def _answer_at_once(settings):
    settings.KNEADWELL_PORTAL_ANSWER_MS = 0  # the timing floor is tested on its own


@pytest.fixture
def account(client_record, therapist):
    client_record.email = "ada@example.org"
    client_record.save()
    return PortalAccount.invite(client_record, therapist)


@pytest.fixture
def other_account(clinic, therapist):
    """Another client of the same clinic, with portal access."""
    other = make_client(
        clinic,
        therapist,
        given_names="Grace",
        family_name="Hopper",
        birth_date="1906-12-09",
        email="grace@example.org",
    )
    return PortalAccount.invite(other, therapist)


@pytest.fixture
def elsewhere_account(outsider):
    """A client of another clinic, with portal access."""
    other = make_client(
        outsider.membership.clinic,
        outsider,
        given_names="Mary",
        family_name="Somerville",
        birth_date="1980-12-26",
        email="mary@example.org",
    )
    return PortalAccount.invite(other, outsider)


def born(client) -> dict:
    day = client.birth_date
    if isinstance(day, str):
        client.refresh_from_db()
        day = client.birth_date
    return {"day": str(day.day), "month": str(day.month), "year": str(day.year)}


def portal_browser(account) -> HttpClient:
    """A browser signed in to the portal as `account`'s client, the way a client does it."""
    browser = HttpClient()
    _, secret = SignInToken.issue(account, TokenKind.LINK)
    response = browser.post(reverse("portal:link", args=[secret]), born(account.client))
    assert response.status_code == 302, response.content.decode()[:2000]
    return browser


def link_from_mail(message) -> str:
    """The path of the sign-in link in an email."""
    match = re.search(r"http://testserver(/portal/sign-in/[A-Za-z0-9_-]+/)", message.body)
    assert match, message.body
    return match.group(1)


@pytest.fixture
def outbox():
    mail.outbox.clear()
    return mail.outbox
