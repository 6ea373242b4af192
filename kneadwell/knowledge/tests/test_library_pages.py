"""Every library page: signed-in members of any clinic and role read it, anonymous people are
sent to sign in, every knowledge-base entry appears on a page, and no page queries per entry."""

import html

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kneadwell.conftest import logged_in
from kneadwell.knowledge.library import all_entries, entry_url
from kneadwell.knowledge.loader import load_knowledge
from kneadwell.knowledge.search import title_of

KNOWLEDGE = load_knowledge()

LIST_PAGES = [
    "knowledge:index",
    "knowledge:conditions",
    "knowledge:techniques",
    "knowledge:evidence",
    "knowledge:sources",
    "knowledge:red_flags",
    "knowledge:rules",
    "knowledge:vocabulary",
]
DETAIL_PAGES = [
    ("knowledge:condition", "sciatica"),
    ("knowledge:handout", "sciatica"),
    ("knowledge:technique", "deep_tissue"),
    ("knowledge:rule", "anticoagulant"),
]
ALL_PAGES = [reverse(name) for name in LIST_PAGES] + [
    reverse(name, args=[entry_id]) for name, entry_id in DETAIL_PAGES
]


@pytest.fixture(scope="module")
def pages(django_db_setup, django_db_blocker):
    """Each page that shows an entry, fetched once as a therapist: url -> text."""
    from kneadwell.accounts.models import Clinic, Role
    from kneadwell.conftest import make_member

    with django_db_blocker.unblock():
        clinic = Clinic.objects.create(name="Page Walk Clinic")
        reader = make_member(clinic, "reader@walk.test", Role.THERAPIST)
        browser = logged_in(reader)
        fetched = {}
        for table, entry_id in all_entries(KNOWLEDGE):
            url = entry_url(table, entry_id, KNOWLEDGE).split("#")[0]
            if url not in fetched:
                response = browser.get(url)
                assert response.status_code == 200, url
                fetched[url] = html.unescape(response.content.decode())
        clinic.memberships.all().delete()
        reader.delete()
        clinic.delete()
    return fetched


@pytest.mark.parametrize(("table", "entry_id"), list(all_entries(KNOWLEDGE)))
def test_every_entry_appears_on_its_page(pages, table, entry_id):
    url, _, anchor = entry_url(table, entry_id, KNOWLEDGE).partition("#")
    page = pages[url]
    assert title_of(KNOWLEDGE, getattr(KNOWLEDGE, table)[entry_id]) in page
    if anchor:
        assert f'id="{anchor}"' in page


@pytest.mark.parametrize("url", ALL_PAGES)
def test_anonymous_people_are_sent_to_sign_in(db, url):
    response = HttpClient().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("url", ALL_PAGES)
def test_every_member_of_any_clinic_may_read_the_library(url, owner, therapist, desk, outsider):
    for user in (owner, therapist, desk, outsider):
        assert logged_in(user).get(url).status_code == 200, user


@pytest.mark.parametrize(
    "url",
    [
        reverse("knowledge:condition", args=["no_such_condition"]),
        reverse("knowledge:handout", args=["no_such_condition"]),
        reverse("knowledge:technique", args=["no_such_technique"]),
        reverse("knowledge:rule", args=["no_such_rule"]),
    ],
)
def test_an_unknown_id_is_not_found(therapist, url):
    assert logged_in(therapist).get(url).status_code == 404


@pytest.mark.parametrize("name", LIST_PAGES)
def test_list_pages_make_no_query_per_entry(therapist, name):
    browser = logged_in(therapist)
    browser.get(reverse("knowledge:index"))
    with CaptureQueriesContext(connection) as baseline:
        browser.get(reverse("knowledge:index"))
    with CaptureQueriesContext(connection) as page:
        browser.get(reverse(name))
    # The index reads no knowledge rows at all; the rules list adds one query for adjustments.
    extra = 1 if name == "knowledge:rules" else 0
    assert len(page) == len(baseline) + extra


def test_the_library_is_linked_from_the_main_navigation(desk):
    page = logged_in(desk).get(reverse("clients:list")).content.decode()
    assert f'href="{reverse("knowledge:index")}"' in page
