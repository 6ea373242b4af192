"""The evidence list: filter by condition and kind, grades and myth-busting shown, sources cited."""

from django.urls import reverse

from kneadwell.conftest import logged_in
from kneadwell.knowledge.loader import load_knowledge

KNOWLEDGE = load_knowledge()
URL = reverse("knowledge:evidence")


def _ids(page):
    return {e.id for e in KNOWLEDGE.evidence.values() if f'id="evidence-{e.id}"' in page}


def test_it_lists_every_statement_by_default(therapist):
    page = logged_in(therapist).get(URL).content.decode()
    assert _ids(page) == set(KNOWLEDGE.evidence)


def test_it_filters_by_condition(therapist):
    page = logged_in(therapist).get(URL, {"condition": "sciatica"}).content.decode()
    assert _ids(page) == {e.id for e in KNOWLEDGE.evidence_for("sciatica")}


def test_it_filters_general_statements_and_claims(therapist):
    page = logged_in(therapist).get(URL, {"condition": "general", "kind": "claim"}).content.decode()
    expected = {c.id for c in KNOWLEDGE.claims() if c.condition is None}
    assert expected and _ids(page) == expected


def test_claims_show_their_grade_and_myth_busting_mark(therapist):
    page = logged_in(therapist).get(URL, {"kind": "claim"}).content.decode()
    assert "Claim graded: <strong>Not supported</strong>" in page
    assert '<span class="badge myth">Myth-busting</span>' in page


def test_statements_cite_their_sources_with_year_and_link(therapist):
    page = logged_in(therapist).get(URL, {"condition": "chronic_lbp"}).content.decode()
    furlan = KNOWLEDGE.sources["furlan_2015"]
    assert furlan.citation in page and f'href="{furlan.url}"' in page


def test_an_unknown_filter_value_says_so_and_shows_everything(therapist):
    page = logged_in(therapist).get(URL, {"condition": "nonsense"}).content.decode()
    assert "That condition is not in the library; showing everything." in page
    assert _ids(page) == set(KNOWLEDGE.evidence)
