"""Signing in to the portal: a single-use link to the email on record plus the date of birth;
the answer never says whether an address is known; links expire, work once, and belong to one
client; rate limits."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from kneadwell.audit.models import AccessLogEntry, Channel
from kneadwell.portal import signin
from kneadwell.portal.models import SignInToken, TokenKind
from kneadwell.portal.tests.conftest import born, link_from_mail


def _ask(browser, email):
    return browser.post(reverse("portal:sign_in"), {"email": email})


def test_a_known_address_gets_a_link_that_signs_in_with_the_birth_date(account, outbox):
    browser = HttpClient()
    response = _ask(browser, "ADA@example.org")
    assert response.status_code == 200
    assert len(outbox) == 1 and outbox[0].to == ["ada@example.org"]
    link = link_from_mail(outbox[0])
    page = browser.get(link)
    assert page.status_code == 200 and "date of birth" in page.content.decode()
    response = browser.post(link, born(account.client))
    assert response.status_code == 302 and response["Location"] == reverse("portal:home")
    home = browser.get(reverse("portal:home"))
    assert home.status_code == 200 and "Hello, Ada" in home.content.decode()


def test_the_answer_is_the_same_for_a_known_and_an_unknown_address(account, outbox):
    known = _ask(HttpClient(), "ada@example.org").content.decode()
    unknown = _ask(HttpClient(), "nobody@example.org").content.decode()
    assert known.replace("ada@example.org", "X") == unknown.replace("nobody@example.org", "X")
    assert len(outbox) == 1


def test_an_address_without_portal_access_gets_no_link(client_record, outbox):
    client_record.email = "ada@example.org"
    client_record.save()
    _ask(HttpClient(), "ada@example.org")
    assert outbox == []


def test_a_used_link_does_not_work_again(account, outbox):
    _ask(HttpClient(), "ada@example.org")
    link = link_from_mail(outbox[0])
    assert HttpClient().post(link, born(account.client)).status_code == 302
    again = HttpClient()
    assert again.get(link).status_code == 410
    response = again.post(link, born(account.client))
    assert "already been used or has expired" in response.content.decode()
    assert again.get(reverse("portal:home")).status_code == 302


def test_a_link_expires_after_fifteen_minutes(account, outbox):
    _ask(HttpClient(), "ada@example.org")
    link = link_from_mail(outbox[0])
    with time_machine.travel(timezone.now() + timedelta(minutes=15, seconds=5)):
        browser = HttpClient()
        assert browser.get(link).status_code == 410
        assert browser.post(link, born(account.client)).status_code == 422
        assert browser.get(reverse("portal:home")).status_code == 302


def test_a_link_works_just_before_it_expires(account, outbox):
    _ask(HttpClient(), "ada@example.org")
    link = link_from_mail(outbox[0])
    with time_machine.travel(timezone.now() + timedelta(minutes=14, seconds=30)):
        assert HttpClient().post(link, born(account.client)).status_code == 302


def test_a_wrong_birth_date_is_refused_and_three_spend_the_link(account):
    _, secret = SignInToken.issue(account, TokenKind.LINK)
    link = reverse("portal:link", args=[secret])
    browser = HttpClient()
    wrong = {"day": "11", "month": "12", "year": "1965"}
    first = browser.post(link, wrong).content.decode()
    assert "does not match our record" in first and "2 tries left" in first
    browser.post(link, wrong)
    third = browser.post(link, wrong).content.decode()
    assert "already been used or has expired" in third
    assert browser.post(link, born(account.client)).status_code == 422
    assert browser.get(reverse("portal:home")).status_code == 302


def test_another_clients_birth_date_does_not_open_either_record(account, other_account):
    _, secret = SignInToken.issue(account, TokenKind.LINK)
    browser = HttpClient()
    response = browser.post(reverse("portal:link", args=[secret]), born(other_account.client))
    assert response.status_code == 422
    assert browser.get(reverse("portal:home")).status_code == 302


def test_a_link_signs_in_only_the_client_it_was_sent_for(account, other_account):
    _, secret = SignInToken.issue(other_account, TokenKind.LINK)
    browser = HttpClient()
    browser.post(reverse("portal:link", args=[secret]), born(other_account.client))
    page = browser.get(reverse("portal:home")).content.decode()
    assert "Hello, Grace" in page and "Ada" not in page


def test_a_made_up_link_says_the_same_as_a_used_one(account):
    page = HttpClient().get(reverse("portal:link", args=["x" * 43]))
    assert page.status_code == 410
    assert "already been used or has expired" in page.content.decode()


def test_the_birth_date_form_says_what_to_fix(account):
    _, secret = SignInToken.issue(account, TokenKind.LINK)
    link = reverse("portal:link", args=[secret])
    page = HttpClient().post(link, {"day": "31", "month": "2", "year": "1965"}).content.decode()
    assert "That date does not exist" in page
    assert 'href="#id_day"' in page  # the summary links to the field
    page = HttpClient().post(link, {"day": "", "month": "x", "year": "65"}).content.decode()
    assert "Enter the day you were born" in page
    assert "Enter the month you were born as a number" in page
    assert "four digits" in page
    assert 'value="65"' in page  # what was typed is kept


def test_too_many_link_requests_for_one_address_are_refused_alike(account, outbox, settings):
    settings.KNEADWELL_PORTAL_LINKS_PER_EMAIL = 3
    for email in ("ada@example.org", "nobody@example.org"):
        statuses = [_ask(HttpClient(), email).status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429], email
    assert len(outbox) == 3


def test_too_many_requests_from_one_network_address_are_refused(account, outbox, settings):
    settings.KNEADWELL_PORTAL_TRIES_PER_ADDRESS = 3
    browser = HttpClient()
    statuses = [_ask(browser, f"person{n}@example.org").status_code for n in range(3)]
    assert statuses == [200, 200, 200]
    assert _ask(browser, "ada@example.org").status_code == 429
    assert outbox == []


def test_the_limits_lift_after_an_hour(account, outbox, settings):
    settings.KNEADWELL_PORTAL_LINKS_PER_EMAIL = 1
    _ask(HttpClient(), "ada@example.org")
    assert _ask(HttpClient(), "ada@example.org").status_code == 429
    with time_machine.travel(timezone.now() + timedelta(minutes=61)):
        assert _ask(HttpClient(), "ada@example.org").status_code == 200
    assert len(outbox) == 2


def test_repeated_wrong_birth_dates_lock_the_account_for_an_hour(account, settings):
    settings.KNEADWELL_PORTAL_FAILURES_PER_ACCOUNT = 4
    wrong = {"day": "1", "month": "1", "year": "1990"}
    for _ in range(2):
        _, secret = SignInToken.issue(account, TokenKind.LINK)
        for _ in range(2):
            HttpClient().post(reverse("portal:link", args=[secret]), wrong)
    _, secret = SignInToken.issue(account, TokenKind.LINK)
    response = HttpClient().post(reverse("portal:link", args=[secret]), born(account.client))
    assert "too many tries" in response.content.decode().lower()
    with time_machine.travel(timezone.now() + timedelta(minutes=61)):
        _, secret = SignInToken.issue(account, TokenKind.LINK)
        ok = HttpClient().post(reverse("portal:link", args=[secret]), born(account.client))
        assert ok.status_code == 302


def test_a_revoked_account_gets_no_link_and_its_links_stop(account, outbox):
    _, secret = SignInToken.issue(account, TokenKind.LINK)
    account.revoke()
    _ask(HttpClient(), "ada@example.org")
    assert outbox == []
    assert HttpClient().get(reverse("portal:link", args=[secret])).status_code == 410


def test_an_archived_clients_address_gets_no_link(account, outbox):
    account.client.archive()
    _ask(HttpClient(), "ada@example.org")
    assert outbox == []


def test_the_email_carries_no_health_data(account, outbox):
    from kneadwell.screening.enforce import record_intake

    record_intake(account.client, {"complaint": "sciatica down the left leg"}, account.invited_by)
    _ask(HttpClient(), "ada@example.org")
    message = outbox[0]
    text = f"{message.subject}\n{message.body}"
    for private in ("sciatica", "Lovelace", "1965", "intake", "pain"):
        assert private not in text
    assert "Willow Clinic" in text and "Ada" in text


def test_a_sign_in_lands_in_the_access_log_with_the_client_as_the_actor(account):
    from kneadwell.portal.tests.conftest import portal_browser

    portal_browser(account)
    entry = AccessLogEntry.objects.filter(client_id=account.client_id).order_by("id").first()
    assert entry.channel == Channel.PORTAL
    assert entry.user_id is None and entry.user_email == ""
    assert entry.what.startswith("portal sign-in")
    assert AccessLogEntry.verify() is None


def test_a_wrong_birth_date_lands_in_the_access_log(account):
    _, secret = SignInToken.issue(account, TokenKind.LINK)
    HttpClient().post(
        reverse("portal:link", args=[secret]), {"day": "1", "month": "1", "year": "1990"}
    )
    entry = AccessLogEntry.objects.get(client_id=account.client_id)
    assert "refused" in entry.what and entry.channel == Channel.PORTAL


@pytest.mark.parametrize(("now", "waited"), [(10.2, 0.6), (10.9, 0.0), (12.0, 0.0)])
def test_a_link_request_answers_no_sooner_than_the_floor(now, waited):
    slept = []
    result = signin.answer_no_sooner(10.0, floor_ms=800, clock=lambda: now, sleep=slept.append)
    assert result == pytest.approx(waited)
    assert slept == ([pytest.approx(waited)] if waited else [])


def test_the_floor_applies_to_known_and_unknown_addresses_alike(account, settings, monkeypatch):
    settings.KNEADWELL_PORTAL_ANSWER_MS = 800
    floors = []
    monkeypatch.setattr(signin, "answer_no_sooner", lambda started: floors.append(started))
    _ask(HttpClient(), "ada@example.org")
    _ask(HttpClient(), "nobody@example.org")
    assert len(floors) == 2
