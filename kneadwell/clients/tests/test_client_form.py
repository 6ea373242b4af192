"""Creating and editing a client: plain-language errors next to the field, nothing typed lost."""

from django.urls import reverse

from kneadwell.clients.models import Client
from kneadwell.conftest import logged_in

VALID = {
    "given_names": "Grace",
    "family_name": "Hopper",
    "birth_date": "1956-12-09",
    "gender": "female",
    "phone": "555-1234",
    "physician_name": "Dr. Who",
    "consent_treatment": "on",
    "consent_treatment_date": "2026-11-01",
}


def test_a_therapist_creates_a_client_and_is_assigned(therapist):
    response = logged_in(therapist).post(reverse("clients:create"), VALID)
    client = Client.objects.get(family_name="Hopper")
    assert response["Location"] == client.get_absolute_url()
    assert list(client.therapists.all()) == [therapist]
    assert client.clinic == therapist.membership.clinic


def test_invalid_input_shows_field_errors_and_keeps_everything_typed(therapist):
    data = {
        **VALID,
        "birth_date": "31/31/1990",
        "email": "not-an-email",
        "consent_treatment_date": "",
    }
    response = logged_in(therapist).post(reverse("clients:create"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter the date of birth as a date" in page
    assert "Enter an email address like name@example.org." in page
    assert "Give the date the client consented to treatment." in page
    for typed in (
        'value="Grace"',
        'value="Hopper"',
        'value="555-1234"',
        'value="not-an-email"',
        'value="31/31/1990"',
        'value="Dr. Who"',
    ):
        assert typed in page
    assert not Client.objects.exists()


def test_a_birth_date_in_the_future_is_refused(therapist):
    page = logged_in(therapist).post(
        reverse("clients:create"), {**VALID, "birth_date": "2999-01-01"}
    )
    assert "cannot be in the future" in page.content.decode()


def test_the_owner_must_assign_a_therapist(owner):
    page = logged_in(owner).post(reverse("clients:create"), VALID).content.decode()
    assert "Assign at least one therapist." in page


def test_an_outsider_cannot_assign_our_therapist(outsider, therapist):
    response = logged_in(outsider).post(
        reverse("clients:create"), {**VALID, "therapists": [therapist.pk]}
    )
    assert "Choose one of the options offered." in response.content.decode()


def test_editing_keeps_the_record_in_its_clinic(therapist, client_record):
    data = {**VALID, "given_names": "Augusta"}
    logged_in(therapist).post(reverse("clients:edit", args=[client_record.pk]), data)
    client_record.refresh_from_db()
    assert client_record.given_names == "Augusta"
    assert therapist in client_record.therapists.all()


def test_archiving_hides_the_client_from_the_list_but_keeps_the_record(therapist, client_record):
    browser = logged_in(therapist)
    browser.post(reverse("clients:archive", args=[client_record.pk]))
    row = "Lovelace, Ada"
    assert row not in browser.get(reverse("clients:list")).content.decode()
    assert row in browser.get(reverse("clients:list") + "?archived=1").content.decode()
    assert browser.get(client_record.get_absolute_url()).status_code == 200
    browser.post(reverse("clients:archive", args=[client_record.pk]))
    assert row in browser.get(reverse("clients:list")).content.decode()


def _errors(therapist, **changes) -> dict:
    response = logged_in(therapist).post(reverse("clients:create"), {**VALID, **changes})
    return response.context["form"].errors


def test_a_birth_date_in_the_future_or_before_1900_is_refused(therapist):
    assert "cannot be in the future" in _errors(therapist, birth_date="2999-01-01")["birth_date"][0]
    assert _errors(therapist, birth_date="1856-12-09")["birth_date"] == [
        "The date of birth is before 1900. Check the year."
    ]


def test_a_consent_in_the_future_or_before_birth_is_refused(therapist):
    future = _errors(therapist, consent_treatment_date="2999-01-01")
    assert "The consent date cannot be in the future" in future["consent_treatment_date"][0]
    before = _errors(therapist, consent_data="on", consent_data_date="1950-01-01")
    assert before["consent_data_date"] == [
        "The consent date is before the client's date of birth (1956-12-09). Check the year."
    ]


def test_a_phone_number_over_its_limit_is_refused_not_cut(therapist):
    errors = _errors(therapist, phone="+44 1234 567890 ext. 4455 (ask for the clinic)")
    assert errors["phone"] == [
        "This can be at most 40 characters long; it has 46. Nothing was cut: shorten it and "
        "save again."
    ]
    assert not Client.objects.exists()


def test_consent_to_share_with_the_physician_is_recorded_with_its_date(therapist):
    browser = logged_in(therapist)
    page = browser.post(reverse("clients:create"), {**VALID, "consent_share": "on"})
    assert "Give the date the client consented to sharing with their physician." in (
        page.content.decode()
    )
    assert not Client.objects.exists()
    browser.post(
        reverse("clients:create"),
        {**VALID, "consent_share": "on", "consent_share_date": "2026-11-02"},
    )
    client = Client.objects.get()
    assert (client.consent_share, client.consent_share_date.isoformat()) == (True, "2026-11-02")
    assert not client.consent_data  # a separate consent from data processing


def test_withdrawing_a_consent_clears_its_date(therapist):
    """Unticking a consent given earlier withdraws it: the record must not keep a date that
    reads as "given on" (the walk-through saw an unticked box beside the old date)."""
    browser = logged_in(therapist)
    browser.post(
        reverse("clients:create"),
        {**VALID, "consent_share": "on", "consent_share_date": "2026-11-02"},
    )
    client = Client.objects.get(family_name="Hopper")
    assert client.consent_share and client.consent_share_date.isoformat() == "2026-11-02"
    data = {**VALID, "consent_share_date": "2026-11-02"}  # the box unticked, the date left
    response = browser.post(reverse("clients:edit", args=[client.pk]), data)
    assert response.status_code == 302
    client.refresh_from_db()
    assert not client.consent_share and client.consent_share_date is None
    chart = browser.get(client.get_absolute_url()).content.decode()
    assert "Not given" in chart


def test_a_consent_date_without_its_box_ticked_is_questioned_not_dropped(therapist):
    data = {**VALID, "consent_share_date": "2026-11-02"}  # a new client: nothing to withdraw
    page = logged_in(therapist).post(reverse("clients:create"), data).content.decode()
    assert "Tick this if the client consented to sharing with their physician" in page
    assert 'value="2026-11-02"' in page
    assert not Client.objects.filter(family_name="Hopper").exists()
