"""The portal's part of the Demo Clinic: two clients to open the portal as, with a fresh desk
code each run; one has a check-in and a questionnaire waiting, the other the intake."""

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from kneadwell.demo.clinic import create_demo
from kneadwell.portal import booking, checkin, demo, questionnaires
from kneadwell.portal.models import PortalAccount
from kneadwell.screening import enforce

pytestmark = pytest.mark.django_db


def test_the_demo_gives_two_clients_portal_access_with_something_waiting():
    clinic = create_demo().clinic
    accounts = list(PortalAccount.objects.filter(client__clinic=clinic).order_by("client_id"))
    assert len(accounts) == 2
    screened, unscreened = sorted(
        (a.client for a in accounts), key=lambda c: enforce.latest_screening(c) is None
    )
    assert checkin.pending(screened) and questionnaires.due(screened)
    assert enforce.latest_screening(unscreened) is None
    # The screened client can book a follow-up online: the Demo Clinic allows it.
    assert booking.why_not(screened) is None
    assert any(day.choices for day in booking.week(screened).days)
    assert booking.why_not(unscreened) == booking.FIRST_VISIT
    assert demo.populate(clinic) == []  # once only


def test_each_run_prints_desk_codes_that_open_the_portal():
    clinic = create_demo().clinic
    first = demo.desk_codes(clinic)
    assert {c.waiting for c in first} >= {"the intake to fill in at home"}
    assert any("check-in" in c.waiting and "questionnaire" in c.waiting for c in first)
    client = first[0]
    day, month, year = client.born.split()
    browser = HttpClient()
    response = browser.post(
        reverse("portal:code"), {"code": client.code, "day": day, "month": month, "year": year}
    )
    assert response.status_code == 302
    home = browser.get(reverse("portal:home")).content.decode()
    assert "To do" in home
    # A new run gives new codes (the last ones are shown once and kept only as hashes).
    assert {c.code for c in demo.desk_codes(clinic)}.isdisjoint({c.code for c in first})
