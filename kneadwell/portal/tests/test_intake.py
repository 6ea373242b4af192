"""The intake at home: saved per step, advice at once for an emergency answer, accepted by the
therapist into a screening."""

import pytest
from django.urls import reverse

from kneadwell.audit.models import AccessLogEntry, Channel
from kneadwell.conftest import logged_in
from kneadwell.knowledge.loader import load_knowledge
from kneadwell.portal.models import IntakeStatus, PortalIntake
from kneadwell.portal.tests.conftest import portal_browser
from kneadwell.portal.tests.helpers import ANSWERS, fill_intake, safety_answers
from kneadwell.screening.models import ScreeningKind

pytestmark = pytest.mark.django_db


def step_url(step):
    return reverse("portal:intake_step", args=[step])


def test_it_keeps_what_was_typed_on_an_unfinished_step(account):
    browser = portal_browser(account)
    response = browser.post(step_url("problem"), {"complaint": "", "duration": "about a week"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Tell us in a few words what brings you in." in page
    assert 'value="about a week"' in page
    record = PortalIntake.objects.get(client=account.client)
    assert record.data["problem"]["duration"] == ["about a week"]
    assert "problem" not in record.done
    # Coming back later shows it again.
    assert "about a week" in browser.get(step_url("problem")).content.decode()


def test_a_complete_step_moves_on_and_is_marked_done(account):
    browser = portal_browser(account)
    response = browser.post(step_url("problem"), ANSWERS["problem"])
    assert response.status_code == 302
    assert response["Location"] == step_url("health")
    assert PortalIntake.objects.get(client=account.client).done == ["problem"]


def test_the_safety_step_asks_the_questions_of_the_conditions_given(account):
    browser = portal_browser(account)
    browser.post(step_url("problem"), {**ANSWERS["problem"], "conditions": ["sciatica"]})
    page = browser.get(step_url("safety")).content.decode()
    for name in safety_answers(["sciatica"]):
        assert f'name="{name}"' in page
    assert "Ask clients with" not in page  # the therapist's hint is not for the client
    # Unanswered questions are named, and nothing is accepted until they are answered.
    response = browser.post(step_url("safety"), {})
    assert response.status_code == 200
    assert "Answer yes or no." in response.content.decode()


def test_an_emergency_answer_tells_the_client_at_once_and_flags_the_chart(account, therapist):
    browser = portal_browser(account)
    browser.post(step_url("problem"), {**ANSWERS["problem"], "conditions": ["sciatica"]})
    answers = safety_answers(["sciatica"], yes=["rf_ces_bladder"])
    response = browser.post(step_url("safety"), answers, follow=True)
    page = response.content.decode()
    assert 'role="alert"' in page
    assert "Go to the emergency department now" in page
    assert "new trouble peeing" in page  # the handouts' words for this answer
    record = PortalIntake.objects.get(client=account.client)
    assert record.alert_tier == "emergency"
    home = browser.get(reverse("portal:home")).content.decode()
    assert "Go to the emergency department now" in home  # and again on the home page
    chart = logged_in(therapist).get(reverse("clients:detail", args=[account.client.pk]))
    assert "raised an emergency finding" in chart.content.decode()


def test_no_advice_when_every_answer_is_no(account):
    browser = portal_browser(account)
    browser.post(step_url("problem"), ANSWERS["problem"])
    response = browser.post(step_url("safety"), safety_answers(), follow=True)
    assert "emergency department" not in response.content.decode()
    assert PortalIntake.objects.get(client=account.client).alert_tier == ""


def test_it_is_sent_only_when_every_step_is_complete(account):
    browser = portal_browser(account)
    browser.post(step_url("problem"), ANSWERS["problem"])
    browser.post(reverse("portal:intake"))
    assert PortalIntake.objects.get(client=account.client).status == IntakeStatus.STARTED


def test_the_therapist_accepts_it_into_a_screening(account, therapist):
    browser = portal_browser(account)
    fill_intake(browser)
    record = PortalIntake.objects.get(client=account.client)
    assert record.status == IntakeStatus.SUBMITTED
    staff = logged_in(therapist)
    url = reverse("portal_staff:intake", args=[account.client.pk, record.pk])
    page = staff.get(url).content.decode()
    assert "Low back pain when I sit for long" in page
    assert "Ada Lovelace" in page  # the typed signature
    response = staff.post(url)
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.status == IntakeStatus.ACCEPTED
    screening = account.client.screenings.get()
    assert screening.kind == ScreeningKind.INTAKE
    assert screening.created_by == therapist
    assert screening.answers["complaint"] == "Low back pain when I sit for long"
    assert screening.answers["pain_areas"] == ["low_back"]
    assert record.intake == screening.intake
    # Accepting twice makes no second screening.
    staff.post(url)
    assert account.client.screenings.count() == 1


def test_each_step_read_and_change_is_logged_with_the_client_as_actor(account):
    browser = portal_browser(account)
    before = AccessLogEntry.objects.count()
    browser.get(step_url("problem"))
    browser.post(step_url("problem"), ANSWERS["problem"])
    entries = list(AccessLogEntry.objects.order_by("id")[before:])
    assert [e.action for e in entries] == ["view", "update"]
    assert all(e.channel == Channel.PORTAL and e.user_id is None for e in entries)
    assert all(e.client_id == account.client.pk for e in entries)


def test_an_unknown_step_is_not_found(account):
    assert portal_browser(account).get(step_url("nothing")).status_code == 404


def test_an_urgent_answer_says_the_therapist_will_contact_them_today(account):
    browser = portal_browser(account)
    browser.post(step_url("problem"), ANSWERS["problem"])
    answers = safety_answers(yes=["rf_suspected_dvt"])
    page = browser.post(step_url("safety"), answers, follow=True).content.decode()
    assert "We will contact you today" in page
    assert "Contact your doctor today" in page
    assert "Go to the emergency department now" not in page
    assert PortalIntake.objects.get(client=account.client).alert_tier == "urgent"


def test_the_client_advice_follows_each_tiers_wording_rules():
    """What the portal tells a client at once reads as the tier requires of client text."""
    for tier in load_knowledge().tiers.values():
        if not tier.client_advice:
            continue
        text = tier.client_advice.lower()
        assert any(word in text for word in tier.client_wording.must_include_any), tier.id
        assert not any(word in text for word in tier.client_wording.must_not_include), tier.id


def test_once_accepted_the_intake_page_says_the_therapist_has_it(account, therapist):
    browser = portal_browser(account)
    fill_intake(browser)
    record = PortalIntake.objects.get(client=account.client)
    logged_in(therapist).post(reverse("portal_staff:intake", args=[account.client.pk, record.pk]))
    page = browser.get(reverse("portal:intake")).content.decode()
    assert "Your therapist has your intake." in page
    assert "Send to the clinic" not in page
    assert "Fill in your intake" not in browser.get(reverse("portal:home")).content.decode()
