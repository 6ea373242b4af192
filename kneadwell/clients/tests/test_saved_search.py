"""The list's search text is kept in the session, but nobody reading the session table can
read it."""

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse

from kneadwell.clients import saved_search
from kneadwell.conftest import logged_in, make_client


def test_the_session_row_does_not_contain_the_typed_name(clinic, therapist):
    make_client(clinic, therapist, family_name="Featherstonehaugh")
    browser = logged_in(therapist)
    browser.post(reverse("clients:list"), {"q": "Featherstonehaugh"})
    assert "Featherstonehaugh" in browser.get(reverse("clients:list")).content.decode()
    (row,) = Session.objects.all()
    decoded = row.get_decoded()
    assert saved_search.SESSION_KEY in decoded  # the search is kept …
    assert "featherstonehaugh" not in str(decoded).lower()  # … but not readable
    assert "featherstonehaugh" not in row.session_data.lower()


def test_it_recalls_what_it_kept_and_forgets_on_an_empty_search(settings):
    session: dict = {}
    saved_search.keep(session, "Lovelace, Ada")
    assert saved_search.recall(session) == "Lovelace, Ada"
    saved_search.keep(session, "")
    assert saved_search.recall(session) == "" and not session


def test_a_new_secret_key_forgets_the_search_instead_of_failing(settings):
    session: dict = {}
    saved_search.keep(session, "Lovelace")
    settings.SECRET_KEY = "another key entirely, at least fifty characters long, for the test"
    assert saved_search.recall(session) == ""


@pytest.mark.parametrize("stored", ["not a token", 42])
def test_a_damaged_value_forgets_the_search(stored):
    assert saved_search.recall({saved_search.SESSION_KEY: stored}) == ""


def test_clear_search_forgets_it(clinic, therapist):
    make_client(clinic, therapist, family_name="Lovelace")
    make_client(clinic, therapist, family_name="Babbage")
    browser = logged_in(therapist)
    browser.post(reverse("clients:list"), {"q": "Lovelace"})
    assert "Babbage" not in browser.get(reverse("clients:list")).content.decode()
    browser.post(reverse("clients:list"), {"q": ""})
    assert "Babbage" in browser.get(reverse("clients:list")).content.decode()


def test_a_kept_search_that_no_longer_reads_is_forgotten(monkeypatch):
    session: dict = {}
    saved_search.keep(session, "31/02/1961")  # not a date: the form never keeps it
    assert saved_search.recall(session) == ""
