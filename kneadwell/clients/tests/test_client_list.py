"""The client list: search by name or birth date (kept out of URLs), pagination, query count."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kneadwell.clients.models import parse_search_date
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


def test_it_reads_dates_day_first():
    assert str(parse_search_date("07/03/1984")) == "1984-03-07"
    assert parse_search_date("Ada") is None
