"""The client list: search by name, phone or birth date (kept out of URLs and unreadable in the
session table), pagination, query count."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kneadwell.clients.models import Client
from kneadwell.conftest import logged_in, make_client


@pytest.fixture
def many(clinic, therapist):
    for i in range(30):
        make_client(clinic, therapist, given_names=f"Person{i:02d}", family_name="Sample")
    make_client(
        clinic, therapist, given_names="Ada", family_name="Lovelace", birth_date="1965-12-10"
    )


def test_it_finds_clients_by_name_through_a_post(therapist, many):
    browser = logged_in(therapist)
    response = browser.post(reverse("clients:list"), {"q": "love"})
    assert response["Location"] == reverse("clients:list")
    page = browser.get(reverse("clients:list")).content.decode()
    assert "Lovelace" in page and "Person01" not in page


def test_it_finds_clients_by_date_of_birth_in_either_order(therapist, many):
    browser = logged_in(therapist)
    for text in ("1965-12-10", "10/12/1965"):
        browser.post(reverse("clients:list"), {"q": text})
        assert "Lovelace" in browser.get(reverse("clients:list")).content.decode()


def test_it_paginates_25_a_page(therapist, many):
    browser = logged_in(therapist)
    first = browser.get(reverse("clients:list")).content.decode()
    second = browser.get(reverse("clients:list"), {"page": 2}).content.decode()
    assert "Page 1 of 2 (31 clients)" in first
    assert first.count("/clients/") - second.count("/clients/") > 0
    assert "Person29" in second


def test_the_list_makes_a_fixed_number_of_queries(therapist, clinic):
    browser = logged_in(therapist)
    make_client(clinic, therapist)
    with CaptureQueriesContext(connection) as few:
        browser.get(reverse("clients:list"))
    for i in range(20):
        make_client(clinic, therapist, given_names=f"More{i}")
    with CaptureQueriesContext(connection) as more:
        browser.get(reverse("clients:list"))
    assert len(more) == len(few)


def test_search_text_never_appears_in_a_url(therapist, many):
    browser = logged_in(therapist)
    browser.post(reverse("clients:list"), {"q": "Lovelace"})
    page = browser.get(reverse("clients:list")).content.decode()
    assert "q=Lovelace" not in page


def found(user, text: str) -> str:
    """The list page after searching for `text`."""
    browser = logged_in(user)
    response = browser.post(reverse("clients:list"), {"q": text})
    assert response.status_code == 302, response.content.decode()
    return browser.get(reverse("clients:list")).content.decode()


@pytest.fixture
def people(clinic, therapist, outsider):
    make_client(
        clinic, therapist, given_names="Margaret Anne", family_name="Núñez-O'Brien",
        preferred_name="Peggy", birth_date="1961-03-07", phone="+44 (20) 7946-0958",
    )  # fmt: skip
    make_client(
        clinic, therapist, given_names="Ada", family_name="Lovelace", birth_date="1961-11-30",
        phone="555-1234",
    )  # fmt: skip
    make_client(
        clinic, therapist, given_names="Mark", family_name="Nunn", birth_date="1972-03-07",
        phone="020 7000 1111",
    )  # fmt: skip
    make_client(
        outsider.membership.clinic, outsider, given_names="Margaret", family_name="Nunez",
        birth_date="1961-03-07", phone="020 7946 0958",
    )  # fmt: skip


@pytest.mark.parametrize(
    "text",
    [
        "Núñez-O'Brien, Margaret Anne",  # as the list shows it
        "nunez obrien, marg",  # accents and punctuation folded, a prefix of the given names
        "Nunez, Peggy",  # the preferred name
        "Margaret Nunez",  # Given Family
        "Peg Nún",  # prefixes of both
        "Nunez Margaret",  # Family Given
        "núñez",  # the family name alone
        "NUÑEZ-O",  # a longer prefix, with its hyphen
        "020 7946 0958",  # the phone without the country code, with the trunk 0
        "+44 20 7946 0958",  # with it
        "(020)-7946-0958",  # brackets and dashes
        "2079460958",  # no trunk 0 at all
        "07/03/1961",  # day first
        "1961-03-07",
        "03/1961",  # a month
        "1961-03",
    ],
)
def test_it_finds_a_client_by_name_phone_or_birth_date(therapist, people, text):
    page = found(therapist, text)
    assert "Núñez-O&#x27;Brien, Margaret Anne" in page
    assert "Lovelace" not in page


def test_a_year_finds_everyone_born_that_year(therapist, people):
    page = found(therapist, "1961")
    assert "Lovelace" in page and "Núñez" in page and "Nunn" not in page


def test_the_same_day_of_another_year_does_not_match(therapist, people):
    page = found(therapist, "07/03/1972")
    assert "Nunn" in page and "Núñez" not in page


def test_a_prefix_matches_the_start_of_a_name_only(therapist, people):
    assert "Lovelace" not in found(therapist, "lace")
    assert "Lovelace" in found(therapist, "lov")


def test_another_clinics_client_is_never_found(outsider, people):
    for text in ("Nunez", "Margaret", "020 7946 0958", "07/03/1961", "1961"):
        page = found(outsider, text)
        assert "Núñez" not in page and "Lovelace" not in page
    assert "Nunez, Margaret" in found(outsider, "Nunez")  # its own client is


def test_a_date_that_does_not_exist_is_explained_and_kept(therapist, people):
    response = logged_in(therapist).post(reverse("clients:list"), {"q": "31/02/1961"})
    page = response.content.decode()
    assert response.status_code == 422
    assert "31/02/1961 is not a date" in page
    assert 'value="31/02/1961"' in page


def test_the_search_columns_follow_the_names_and_phone(clinic, therapist):
    client = make_client(clinic, therapist, family_name="Ångström", phone="(01) 23-45 678")
    assert (client.search_family, client.search_phone) == ("angstrom", "87654321")
    client.family_name = "Øster"
    client.save(update_fields=["family_name"])
    assert Client.objects.get(pk=client.pk).search_family == "øster"


def test_bulk_created_clients_have_their_search_columns(clinic):
    Client.objects.bulk_create(
        [Client(clinic=clinic, given_names="Zoë", family_name="Brontë", birth_date="1980-01-01")]
    )
    assert Client.objects.get(family_name="Brontë").search_given == "zoe"


def test_odd_characters_find_nothing_rather_than_fail(therapist, people):
    for text in ("a\U0010ffff", "%_", "n%", "+"):  # LIKE wildcards are matched as typed
        assert "Núñez" not in found(therapist, text)
    for text in ("'", "--"):  # nothing left to search for: everyone is listed
        assert "Núñez" in found(therapist, text)
