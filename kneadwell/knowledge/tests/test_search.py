"""Searching the library: every word must match; results link to the page showing the entry."""

from django.urls import reverse

from kneadwell.conftest import logged_in
from kneadwell.knowledge.loader import load_knowledge
from kneadwell.knowledge.search import search

KNOWLEDGE = load_knowledge()
URL = reverse("knowledge:search")


def _found(query):
    return {(hit.table, hit.entry_id) for hit in search(KNOWLEDGE, query)}


def test_it_finds_entries_by_any_case():
    assert ("medication_classes", "anticoagulant") in _found("ANTICOAGULANT")
    assert ("rules", "anticoagulant") in _found("anticoagulant")


def test_every_word_must_match():
    assert {("conditions", "lss_with_nc"), ("conditions", "lss_without_nc")} <= _found("stenosis")
    assert _found("stenosis xylophone") == set()


def test_it_searches_icd_codes_and_citations():
    assert ("conditions", "lss_with_nc") in _found("M48.062")
    assert ("sources", "furlan_2015") in _found("furlan")


def test_ids_and_codes_of_other_fields_do_not_match():
    # "nice_ng59" is cited by many entries; only the source itself says "NG59" in words.
    assert {table for table, _ in _found("nice_ng59")} == set()


def test_an_empty_query_finds_nothing():
    assert search(KNOWLEDGE, "   ") == []


def test_results_are_grouped_by_section_with_links(therapist):
    page = logged_in(therapist).get(URL, {"q": "toxins"}).content.decode()
    assert "Evidence and popular claims" in page and "Client handouts" in page
    assert f'href="{reverse("knowledge:handout", args=["chronic_lbp"])}"' in page
    assert "for “toxins”" in page


def test_it_says_so_when_nothing_matches(therapist):
    page = logged_in(therapist).get(URL, {"q": "xylophone"}).content.decode()
    assert "Nothing in the library matches." in page


def test_the_query_is_kept_in_the_search_box(therapist):
    page = logged_in(therapist).get(URL, {"q": "sciatica"}).content.decode()
    assert 'value="sciatica"' in page
