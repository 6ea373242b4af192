"""The clinic's portal pages as anonymous, outsider, unassigned colleague, front desk, therapist
and owner (kneadwell/conftest.py's matrix), and what they do."""

import pytest
from django.core import mail
from django.urls import reverse

from kneadwell.audit.models import AccessLogEntry
from kneadwell.conftest import Route, check_access, logged_in
from kneadwell.portal.models import PortalAccount

STAFF_PAGE = (302, 404, 404, 200, 200, 200)  # front desk invites clients too
STAFF_POST = (302, 404, 404, 302, 302, 302)


def _url(name):
    return lambda c: reverse(f"portal_staff:{name}", args=[c.pk])


ROUTES = [
    Route("access", _url("access"), STAFF_PAGE),
    Route("invite", _url("invite"), STAFF_POST, method="post"),
    Route("desk code", _url("desk_code"), STAFF_PAGE, method="post"),
    Route("revoke", _url("revoke"), STAFF_POST, method="post"),
]


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_access(people, client_record, therapist, route):
    client_record.email = "ada@example.org"
    client_record.save()

    def reset():
        account = PortalAccount.invite(client_record, therapist)
        account.refresh_from_db()

    reset()
    check_access(people, route, client_record, reset=reset)


def test_the_chart_shows_the_portal_section(therapist, desk, client_record):
    for person in (therapist, desk):
        page = logged_in(person).get(reverse("clients:detail", args=[client_record.pk]))
        assert "Client portal" in page.content.decode()
        assert "Invite to the portal" in page.content.decode()


def test_an_invitation_goes_to_the_email_on_record(therapist, client_record):
    client_record.email = "ada@example.org"
    client_record.save()
    mail.outbox.clear()
    response = logged_in(therapist).post(reverse("portal_staff:invite", args=[client_record.pk]))
    assert response.status_code == 302
    assert mail.outbox[0].to == ["ada@example.org"]
    assert "works once, within the next 7 days" in mail.outbox[0].body
    entry = AccessLogEntry.objects.filter(client_id=client_record.pk).first()
    assert entry.what == "portal invitation by email" and entry.user_id == therapist.pk


def test_no_invitation_without_an_email_address(therapist, client_record):
    mail.outbox.clear()
    browser = logged_in(therapist)
    browser.post(reverse("portal_staff:invite", args=[client_record.pk]))
    assert mail.outbox == [] and not PortalAccount.objects.exists()
    page = browser.get(reverse("portal_staff:access", args=[client_record.pk])).content.decode()
    assert "There is no email address on the record" in page


def test_an_invitation_signs_in_with_the_birth_date(therapist, client_record):
    from django.test import Client as HttpClient

    from kneadwell.portal.tests.conftest import born, link_from_mail

    client_record.email = "ada@example.org"
    client_record.save()
    mail.outbox.clear()
    logged_in(therapist).post(reverse("portal_staff:invite", args=[client_record.pk]))
    link = link_from_mail(mail.outbox[0])
    browser = HttpClient()
    assert browser.post(link, born(client_record)).status_code == 302
    account = PortalAccount.objects.get(client=client_record)
    assert account.first_sign_in_at is not None


def test_a_mail_server_failure_is_explained(therapist, client_record, settings):
    settings.EMAIL_BACKEND = "kneadwell.portal.tests.test_staff_access.FailingBackend"
    client_record.email = "ada@example.org"
    client_record.save()
    browser = logged_in(therapist)
    browser.post(reverse("portal_staff:invite", args=[client_record.pk]))
    page = browser.get(reverse("portal_staff:access", args=[client_record.pk])).content.decode()
    assert "could not be sent" in page


class FailingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("mail server down")
