"""Two-factor sign-in: enrolment with recovery codes shown once, the code after the password,
recovery codes that work once, the owner's requirement, and the owner's first-sign-in prompt."""

import re
import time

import time_machine
from django.test import Client as HttpClient
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from kneadwell.accounts import two_factor
from kneadwell.conftest import PASSWORD, logged_in


def later(seconds: int):
    """Some seconds from now (an app code is refused twice in its 30 s, so steps move on)."""
    return time_machine.travel(time.time() + seconds, tick=False)


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"


def enrol(browser, user) -> list[str]:
    """Set up the app through the pages; returns the recovery codes shown."""
    page = browser.get(reverse("two_factor")).content.decode()
    assert "<svg" in page
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    shown = browser.post(reverse("two_factor"), {"code": code_for(device)}).content.decode()
    return re.findall(r"<li><code>([a-z2-7]{8})</code></li>", shown)


def sign_in(browser, email, password=PASSWORD):
    return browser.post(reverse("login"), {"username": email, "password": password})


def test_enrolment_shows_ten_recovery_codes_once(therapist):
    browser = logged_in(therapist)
    codes = enrol(browser, therapist)
    assert len(codes) == 10
    assert two_factor.has_app(therapist)
    page = browser.get(reverse("two_factor")).content.decode()
    assert "Two-factor sign-in is on" in page and "10 unused recovery codes" in page
    assert not any(code in page for code in codes)


def test_a_wrong_code_at_enrolment_says_so_and_turns_nothing_on(therapist):
    browser = logged_in(therapist)
    browser.get(reverse("two_factor"))
    page = browser.post(reverse("two_factor"), {"code": "000000"}).content.decode()
    assert "That code does not match" in page
    assert not two_factor.has_app(therapist)


def test_signing_in_asks_for_the_code_after_the_password(therapist):
    enrol(logged_in(therapist), therapist)
    browser = HttpClient()
    with later(60):
        response = sign_in(browser, "tara@willow.test")
        assert response["Location"] == reverse("login_code")
        assert browser.get(reverse("clients:list")).status_code == 302  # not signed in yet
        wrong = browser.post(reverse("login_code"), {"code": "123456"})
        assert "That code is not right" in wrong.content.decode()
    with later(65):  # django-otp makes the app wait a second after a wrong code
        device = TOTPDevice.objects.get(user=therapist)
        done = browser.post(reverse("login_code"), {"code": code_for(device)})
        assert done["Location"] == reverse("clients:list")
        assert browser.get(reverse("clients:list")).status_code == 200


def test_the_code_page_without_a_password_first_sends_back_to_sign_in(db):
    response = HttpClient().get(reverse("login_code"))
    assert response["Location"] == reverse("login")


def test_the_held_sign_in_expires_and_allows_few_tries(therapist):
    enrol(logged_in(therapist), therapist)
    browser = HttpClient()
    with later(60):
        sign_in(browser, "tara@willow.test")
    with later(60 + 301):
        device = TOTPDevice.objects.get(user=therapist)
        late = browser.post(reverse("login_code"), {"code": code_for(device)})
        assert late["Location"] == reverse("login")
    browser = HttpClient()
    with later(600):
        sign_in(browser, "tara@willow.test")
        for _ in range(two_factor.PENDING_TRIES):
            last = browser.post(reverse("login_code"), {"code": "abcdefgh"})
        assert last["Location"] == reverse("login")


def test_a_recovery_code_works_once(therapist):
    codes = enrol(logged_in(therapist), therapist)
    first = HttpClient()
    sign_in(first, "tara@willow.test")
    spaced = f"{codes[0][:4]} {codes[0][4:].upper()}"
    assert first.post(reverse("login_code"), {"code": spaced}).status_code == 302
    assert first.get(reverse("clients:list")).status_code == 200
    assert StaticToken.objects.filter(device__user=therapist).count() == 9
    second = HttpClient()
    sign_in(second, "tara@willow.test")
    again = second.post(reverse("login_code"), {"code": codes[0]})
    assert again.status_code == 200
    assert second.get(reverse("clients:list")).status_code == 302


def test_new_recovery_codes_replace_the_old_ones(therapist):
    browser = logged_in(therapist)
    old = enrol(browser, therapist)
    page = browser.post(reverse("recovery_codes")).content.decode()
    new = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", page)
    assert len(new) == 10 and not set(new) & set(old)
    assert two_factor.verify_code(therapist, old[1]) is None
    with later(5):  # past django-otp's pause after a wrong code
        assert two_factor.verify_code(therapist, new[1]) is not None


def test_an_owner_requires_it_and_members_without_it_are_sent_to_set_it_up(owner, therapist):
    response = logged_in(owner).post(reverse("staff_two_factor"), {"requires_two_factor": "on"})
    assert response.status_code == 302
    browser = HttpClient()
    assert sign_in(browser, "tara@willow.test")["Location"] == reverse("clients:list")
    blocked = browser.get(reverse("clients:list"))
    assert blocked["Location"] == reverse("two_factor")
    api = browser.get("/api/v1/clients", HTTP_ACCEPT="application/json")
    assert api.status_code == 403 and "two-factor" in api.json()["detail"]
    page = browser.get(reverse("two_factor")).content.decode()
    assert "Skip for now" not in page
    enrol(browser, therapist)
    assert browser.get(reverse("clients:list")).status_code == 200


def test_turning_it_off_is_refused_while_the_clinic_requires_it(owner, therapist):
    browser = logged_in(therapist)
    enrol(browser, therapist)
    owner.membership.clinic.requires_two_factor = True
    owner.membership.clinic.save()
    browser.post(reverse("two_factor_off"))
    assert two_factor.has_app(therapist)
    owner.membership.clinic.requires_two_factor = False
    owner.membership.clinic.save()
    browser.post(reverse("two_factor_off"))
    assert not two_factor.has_app(therapist)


def test_only_owners_change_the_requirement(therapist, owner):
    url = reverse("staff_two_factor")
    assert logged_in(therapist).post(url, {"requires_two_factor": "on"}).status_code == 403
    owner.membership.clinic.refresh_from_db()
    assert not owner.membership.clinic.requires_two_factor


def test_an_owner_is_asked_once_at_first_sign_in_and_may_skip(owner):
    browser = HttpClient()
    response = sign_in(browser, "owner@willow.test")
    assert response["Location"] == f"{reverse('two_factor')}?prompt=1"
    page = browser.get(response["Location"]).content.decode()
    assert "Skip for now" in page and f'href="{reverse("clients:list")}"' in page
    assert browser.get(reverse("clients:list")).status_code == 200  # skipping works
    again = sign_in(HttpClient(), "owner@willow.test")
    assert again["Location"] == reverse("clients:list")


def test_a_therapist_is_not_prompted(therapist):
    assert sign_in(HttpClient(), "tara@willow.test")["Location"] == reverse("clients:list")


def test_the_staff_list_shows_who_has_it(owner, therapist):
    enrol(logged_in(therapist), therapist)
    page = logged_in(owner).get(reverse("staff")).content.decode()
    rows = {re.search(r"<td>([^<]+@[^<]+)</td>", r).group(1): r for r in page.split("<tr>")[2:]}
    assert "<td>On</td>" in rows["tara@willow.test"]
    assert ">Off<" in rows["owner@willow.test"]


def test_the_owner_turns_off_a_members_two_factor_when_all_is_lost(owner, therapist, outsider):
    enrol(logged_in(therapist), therapist)
    url = reverse("staff_two_factor_off", args=[therapist.membership.pk])
    assert logged_in(outsider).post(url).status_code == 404
    assert logged_in(therapist).post(url).status_code == 403
    assert two_factor.has_app(therapist)
    assert logged_in(owner).post(url).status_code == 302
    assert not two_factor.has_app(therapist)
    assert sign_in(HttpClient(), "tara@willow.test")["Location"] == reverse("clients:list")


def test_pages_showing_secrets_are_not_cached(therapist):
    response = logged_in(therapist).get(reverse("two_factor"))
    assert "no-store" in response["Cache-Control"]


def test_an_older_session_must_sign_in_again_with_a_code_once_required(owner, therapist):
    older = logged_in(therapist)  # e.g. on the practice laptop, before the app was set up
    enrol(logged_in(therapist), therapist)
    owner.membership.clinic.requires_two_factor = True
    owner.membership.clinic.save()
    response = older.get(reverse("clients:list"))
    assert response["Location"] == reverse("login")
    assert older.get(reverse("clients:list")).status_code == 302
