"""Safety reaches the desk: "needs clearance before treatment", and nothing clinical."""

import time_machine
from django.urls import reverse

from kneadwell.appointments.tests.helpers import MONDAY, at
from kneadwell.conftest import logged_in
from kneadwell.screening.enforce import record_screening

FLAG = "Needs clearance before treatment"


def day_page(user, therapist=None):
    url = reverse("appointments:day") + "?date=2027-03-01"
    with time_machine.travel(at(MONDAY, 8)):
        return logged_in(user).get(url).content.decode()


def test_a_client_without_a_screening_needs_clearance(appointment, desk):
    assert FLAG in day_page(desk)
    page = logged_in(desk).get(appointment.get_absolute_url()).content.decode()
    assert FLAG in page and "let the therapist know" in page


def test_a_blocking_finding_shows_the_flag_without_its_name(appointment, therapist, desk):
    # A suspected clot (FACTS: a systemic deferral) blocks the whole session.
    record_screening(
        appointment.client,
        {"conditions": ["chronic_lbp"], "red_flags": {"suspected_dvt": True}},
        "intake",
        therapist,
    )
    from kneadwell.appointments.agenda import needs_clearance
    from kneadwell.screening.enforce import enforce

    result = enforce(appointment.client, [])
    assert result.blocked and needs_clearance(appointment.client)
    page = day_page(desk)
    assert FLAG in page
    for finding in result.blocking:
        assert finding.name not in page


def test_a_screening_that_allows_treatment_shows_no_flag(appointment, therapist, desk):
    record_screening(appointment.client, {"conditions": ["chronic_lbp"]}, "intake", therapist)
    assert FLAG not in day_page(desk)
    assert FLAG not in day_page(therapist)


def test_the_days_bulk_check_decides_exactly_as_the_screenings_enforcement(
    clinic, therapist, owner
):
    from datetime import date

    from kneadwell.appointments.agenda import blocked_clients
    from kneadwell.conftest import make_client
    from kneadwell.screening.enforce import enforce
    from kneadwell.screening.models import Clearance

    unscreened = make_client(clinic, therapist, given_names="None")
    fine = make_client(clinic, therapist, given_names="Fine")
    record_screening(fine, {"conditions": ["chronic_lbp"]}, "intake", therapist)
    clot = {"conditions": ["chronic_lbp"], "red_flags": {"suspected_dvt": True}}
    blocked = make_client(clinic, therapist, given_names="Blocked")
    record_screening(blocked, clot, "intake", therapist)
    cleared = make_client(clinic, therapist, given_names="Cleared")
    screening = record_screening(cleared, clot, "intake", therapist)
    Clearance.objects.create(
        client=cleared,
        finding_ids=[f["id"] for f in screening.findings],
        physician_name="Dr. Marsh",
        cleared_on=date(2026, 12, 1),
        recorded_by=owner,
    )
    # Cleared, then raised again by a later screening after a screening without it: a new run.
    again = make_client(clinic, therapist, given_names="Again")
    first = record_screening(again, clot, "intake", therapist)
    Clearance.objects.create(
        client=again,
        finding_ids=[f["id"] for f in first.findings],
        physician_name="Dr. Marsh",
        cleared_on=date(2026, 12, 1),
        recorded_by=owner,
    )
    record_screening(again, {"conditions": ["chronic_lbp"]}, "visit_checkin", therapist)
    record_screening(again, clot, "visit_checkin", therapist)
    clients = [unscreened, fine, blocked, cleared, again]
    expected = {c.pk for c in clients if enforce(c, []).blocked}
    assert expected == {unscreened.pk, blocked.pk, again.pk}
    assert blocked_clients(clients) == expected
