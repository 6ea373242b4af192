"""Forgot password: a single-use, expiring link by email; the answer never says who works here."""

import re

import pytest
import time_machine
from django.test import Client as HttpClient
from django.urls import reverse

from kneadwell.accounts.models import ApiToken
from kneadwell.conftest import PASSWORD, logged_in

NEW = "a-brand-new-passphrase-7"


@pytest.fixture(autouse=True)
def _answer_at_once(settings):
    settings.KNEADWELL_RESET_ANSWER_MS = 0


def _ask(email, browser=None):
    return (browser or HttpClient()).post(reverse("password_reset"), {"email": email})


def _link(message) -> str:
    return re.search(r"https?://testserver(/password/reset/\S+/)", message.body).group(1)


def _set_password(link, browser=None, **extra):
    browser = browser or HttpClient()
    form_page = browser.get(link, follow=True)
    data = {"new_password1": NEW, "new_password2": NEW, **extra}
    return form_page, browser.post(form_page.redirect_chain[-1][0], data)


def test_the_sign_in_page_offers_a_way_back_in(db):
    page = HttpClient().get(reverse("login")).content.decode()
    assert f'href="{reverse("password_reset")}"' in page
    assert "Forgot password?" in page


def test_a_known_and_an_unknown_address_get_the_same_answer(therapist, mailoutbox):
    known = _ask("TARA@willow.test")
    unknown = _ask("nobody@willow.test")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("password_reset_done")
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["tara@willow.test"]


def test_the_email_holds_the_link_and_no_health_data(therapist, client_record, mailoutbox):
    _ask("tara@willow.test")
    body = mailoutbox[0].body
    assert "Willow Clinic" in body and "once, within the next 60 minutes" in body
    assert client_record.family_name not in body and client_record.given_names not in body


def test_the_link_works_once(therapist, mailoutbox):
    _ask("tara@willow.test")
    link = _link(mailoutbox[0])
    _, done = _set_password(link)
    assert done["Location"] == reverse("password_reset_complete")
    therapist.refresh_from_db()
    assert therapist.check_password(NEW)
    again = HttpClient().get(link, follow=True).content.decode()
    assert "This link no longer works" in again


def test_the_link_expires(therapist, mailoutbox, settings):
    with time_machine.travel("2026-11-23 10:00", tick=False):
        _ask("tara@willow.test")
    link = _link(mailoutbox[0])
    with time_machine.travel("2026-11-23 11:01", tick=False):
        page = HttpClient().get(link, follow=True).content.decode()
    assert "This link no longer works" in page
    therapist.refresh_from_db()
    assert therapist.check_password(PASSWORD)


def test_a_deactivated_person_gets_no_link(therapist, mailoutbox):
    therapist.membership.is_active = False
    therapist.membership.save()
    assert _ask("tara@willow.test").status_code == 302
    assert mailoutbox == []


def test_requests_are_limited_per_address_typed_known_or_not(therapist, mailoutbox, settings):
    settings.KNEADWELL_RESETS_PER_EMAIL = 2
    for email in ("tara@willow.test", "nobody@willow.test"):
        for _ in range(2):
            assert _ask(email).status_code == 302
        page = _ask(email)
        assert page.status_code == 200
        assert "too many requests for reset links" in page.content.decode()
    assert len(mailoutbox) == 2


def test_requests_are_limited_per_network_address(db, settings):
    settings.KNEADWELL_RESETS_PER_ADDRESS = 3
    for i in range(3):
        assert _ask(f"someone{i}@willow.test").status_code == 302
    assert _ask("someone9@willow.test").status_code == 200


def test_a_reset_ends_other_sessions_and_lifts_a_lock(therapist, mailoutbox, settings):
    settings.KNEADWELL_LOCKOUT_ATTEMPTS = 1
    elsewhere = logged_in(therapist)
    HttpClient().post(reverse("login"), {"username": "tara@willow.test", "password": "wrong"})
    _ask("tara@willow.test")
    _set_password(_link(mailoutbox[0]))
    assert elsewhere.get(reverse("clients:list")).status_code == 302
    response = HttpClient().post(
        reverse("login"), {"username": "tara@willow.test", "password": NEW}
    )
    assert response.status_code == 302


def test_a_reset_offers_to_revoke_api_tokens(therapist, mailoutbox):
    record, _ = ApiToken.issue(therapist, "script")
    _ask("tara@willow.test")
    form_page, _ = _set_password(_link(mailoutbox[0]), revoke_tokens="on")
    assert "Also revoke all my API tokens" in form_page.content.decode()
    record.refresh_from_db()
    assert record.revoked_at is not None


def test_the_owner_sends_a_reset_link_from_the_staff_page(owner, therapist, mailoutbox):
    response = logged_in(owner).post(reverse("staff_send_reset", args=[therapist.membership.pk]))
    assert response.status_code == 302
    assert mailoutbox[0].to == ["tara@willow.test"]
    _set_password(_link(mailoutbox[0]))
    therapist.refresh_from_db()
    assert therapist.check_password(NEW)


def test_only_the_owner_of_the_clinic_sends_reset_links(therapist, colleague, outsider, mailoutbox):
    url = reverse("staff_send_reset", args=[therapist.membership.pk])
    assert logged_in(colleague).post(url).status_code == 403
    assert logged_in(outsider).post(url).status_code == 404
    assert logged_in(therapist).get(url).status_code in (403, 405)
    assert mailoutbox == []


def test_a_refused_new_password_says_the_boxes_are_empty_again(therapist, mailoutbox):
    _ask("tara@willow.test")
    _, refused = _set_password(_link(mailoutbox[0]), new_password2="something-else-9")
    page = refused.content.decode()
    assert refused.status_code == 200
    assert "everything you typed is kept, except passwords: type them again." in page
    assert page.count("except passwords") == 1


def test_a_form_without_passwords_still_promises_to_keep_everything(therapist, mailoutbox):
    page = _ask("not an email").content.decode()
    assert "everything you typed is kept." in page
    assert "except passwords" not in page
