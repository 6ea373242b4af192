"""A technique's page: its pressure range on the named five-level scale, and what limits it."""

import html

from django.urls import reverse

from kneadwell.conftest import logged_in
from kneadwell.knowledge.loader import load_knowledge

KNOWLEDGE = load_knowledge()


def test_it_shows_the_pressure_range_with_the_level_names(therapist):
    technique = KNOWLEDGE.techniques["deep_tissue"]
    url = reverse("knowledge:technique", args=["deep_tissue"])
    page = html.unescape(logged_in(therapist).get(url).content.decode())
    low = KNOWLEDGE.pressure_level(technique.pressure_min).name.lower()
    assert f"Level {technique.pressure_min} ({low})" in page
    assert page.count('class="in-range"') == technique.pressure_max - technique.pressure_min + 1
    assert technique.limits in page


def test_it_links_the_rules_that_rule_it_out(therapist):
    url = reverse("knowledge:technique", args=["deep_tissue"])
    page = logged_in(therapist).get(url).content.decode()
    assert reverse("knowledge:rule", args=["anticoagulant"]) in page
