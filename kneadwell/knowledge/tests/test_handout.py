"""A client handout: the plain-language sections as a page that prints cleanly."""

from django.urls import reverse

from kneadwell.conftest import logged_in
from kneadwell.knowledge.loader import load_knowledge

HANDOUT = load_knowledge().handout_for("sciatica")
URL = reverse("knowledge:handout", args=["sciatica"])


def test_it_shows_every_section_of_the_handout(therapist):
    page = logged_in(therapist).get(URL).content.decode()
    for heading in (
        "What massage can do",
        "What massage cannot do",
        "What to expect",
        "When to get help straight away",
        "What you can do yourself",
    ):
        assert heading in page
    for _field, paragraph in HANDOUT.paragraphs():
        assert paragraph.text.replace("'", "&#x27;").replace('"', "&quot;") in page


def test_staff_only_parts_are_marked_not_to_print(therapist):
    page = logged_in(therapist).get(URL).content.decode()
    assert '<article class="handout"' in page
    assert '<details class="no-print handout-sources">' in page
    assert 'class="library-nav"' not in page  # a plain layout for the client


def test_it_names_the_clinic_the_client_takes_it_from(therapist):
    assert "From Willow Clinic." in logged_in(therapist).get(URL).content.decode()
