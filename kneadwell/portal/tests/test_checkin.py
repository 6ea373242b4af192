"""The check-in before a visit, from home: it fills the draft note and is a check-in screening,
so a new red flag blocks treatment as a screening would, and the client is told what to do."""

import pytest
from django.http import QueryDict
from django.urls import reverse

from kneadwell.audit.models import AccessLogEntry, Channel
from kneadwell.conftest import logged_in
from kneadwell.portal.models import PortalCheckin
from kneadwell.portal.tests.conftest import portal_browser
from kneadwell.portal.tests.helpers import checkin_answers, fill_intake
from kneadwell.screening import enforce
from kneadwell.screening.models import ScreeningKind
from kneadwell.visits import notes
from kneadwell.visits.models import Visit

pytestmark = pytest.mark.django_db
URL = reverse("portal:checkin")


@pytest.fixture
def screened(account, therapist):
    """A client whose intake (sciatica: the every-visit red flags) the therapist accepted."""
    browser = portal_browser(account)
    fill_intake(browser, conditions=["sciatica"])
    record = account.client.portal_intakes.get()
    logged_in(therapist).post(reverse("portal_staff:intake", args=[account.client.pk, record.pk]))
    assert account.client.screenings.count() == 1
    return browser


def test_before_the_intake_is_accepted_there_is_nothing_to_check_in(account):
    page = portal_browser(account).get(URL).content.decode()
    assert "goes through your intake with you first" in page
    assert 'name="nprs"' not in page


def test_it_fills_the_draft_note_and_records_a_checkin_screening(screened, account, therapist):
    client = account.client
    data = checkin_answers(
        client,
        nprs=6,
        effect1="soreness",
        effect1_severity="3",
        effect1_hours="24",
        medicines="Started naproxen",
        other="Slept badly",
    )
    response = screened.post(URL, data)
    assert response.status_code == 200
    assert "Your therapist has your answers" in response.content.decode()
    visit = Visit.objects.get(client=client)
    assert visit.therapist == therapist
    assert visit.nprs == 6
    assert visit.adverse_effects == [{"kind": "soreness", "severity": 3, "duration_hours": 24}]
    assert "Started naproxen" in visit.changes_since_last
    assert "Slept badly" in visit.client_report
    assert visit.checkin.kind == ScreeningKind.VISIT_CHECKIN
    assert enforce.latest_screening(client) == visit.checkin
    # The note opens with it filled in.
    page = logged_in(therapist).get(reverse("visits:edit", args=[client.pk, visit.pk]))
    page = page.content.decode()
    assert 'value="6"' in page
    assert "Slept badly" in page


def test_it_fills_the_therapists_open_draft_keeping_what_was_typed(screened, account, therapist):
    client = account.client
    draft = notes.start_visit(client, therapist, from_last=False)
    notes.save_raw_draft(draft, _post({"objective": "Tender over L5", "nprs": ""}))
    screened.post(URL, checkin_answers(client, nprs=2))
    draft.refresh_from_db()
    assert Visit.objects.filter(client=client).count() == 1
    assert draft.draft_data["objective"] == ["Tender over L5"]
    assert draft.draft_data["nprs"] == ["2"]
    assert PortalCheckin.objects.get().visit == draft


def test_a_new_red_flag_blocks_treatment_and_the_client_sees_what_to_do(screened, account):
    client = account.client
    assert not enforce.enforce(client, []).blocked
    response = screened.post(URL, checkin_answers(client, yes=["rf_ces_saddle_numbness"]))
    page = response.content.decode()
    assert "Go to the emergency department now" in page
    assert enforce.enforce(client, []).blocked
    assert PortalCheckin.objects.get().new_findings


def test_missing_answers_are_named_and_everything_typed_is_kept(screened, account):
    data = checkin_answers(account.client)
    del data["nprs"]
    data["other"] = "Kept words"
    response = screened.post(URL, data)
    page = response.content.decode()
    assert "Choose a number from 0 to 10." in page
    assert "Kept words" in page
    assert not Visit.objects.filter(client=account.client).exists()


def test_once_checked_in_it_is_not_asked_again_for_the_same_note(screened, account):
    screened.post(URL, checkin_answers(account.client))
    page = screened.get(URL).content.decode()
    assert "You have checked in for your next visit" in page


def test_it_is_logged_with_the_client_as_actor(screened, account):
    before = AccessLogEntry.objects.count()
    screened.post(URL, checkin_answers(account.client))
    entries = AccessLogEntry.objects.order_by("id")[before:]
    portal = [e for e in entries if e.channel == Channel.PORTAL]
    assert [e.action for e in portal] == ["create"]
    assert portal[0].user_id is None and portal[0].client_id == account.client.pk


def _post(values):
    data = QueryDict(mutable=True)
    for key, value in values.items():
        data[key] = value
    return data
