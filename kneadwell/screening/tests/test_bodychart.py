"""The body chart: regions match the knowledge base, selection is visible without colour,
and a marked area round-trips through the intake form."""

import re

from django.urls import reverse

from kneadwell.conftest import logged_in
from kneadwell.knowledge.loader import load_knowledge
from kneadwell.screening.bodychart import VIEWS, drawn_regions, render_body_chart
from kneadwell.screening.models import Intake
from kneadwell.screening.tests.test_intake_form import intake_post

KB = load_knowledge()


def test_every_drawn_region_is_a_knowledge_base_region():
    for view, shapes in VIEWS.items():
        assert set(shapes) <= set(KB.body_regions), view


def test_every_region_without_parts_can_be_marked():
    parents = {r.parent for r in KB.body_regions.values()}
    leaves = {r.id for r in KB.body_regions.values() if r.id not in parents}
    assert leaves == set(drawn_regions())


def test_regions_sit_on_the_right_view():
    for region in drawn_regions():
        view = KB.body_regions[region].view
        if view != "both":
            assert region in VIEWS[view], region


def test_the_consensus_low_back_and_neck_are_drawn_on_the_back():
    assert {"low_back", "sacrum", "buttock_left", "buttock_right", "neck_posterior"} <= set(
        VIEWS["back"]
    )
    assert "Dionne 2008" in KB.body_regions["low_back"].border
    assert "Guzman 2008" in KB.body_regions["neck_posterior"].border
    assert {"dionne_2008", "guzman_2008"} <= set(KB.sources)


def test_selected_regions_are_hatched_and_listed_as_text_not_only_coloured():
    html = render_body_chart({"low_back", "calf_left"}, "pain_areas")
    selected = re.findall(r'<path class="bodychart-region is-selected" data-region="(\w+)"', html)
    assert set(selected) == {"low_back", "calf_left"}
    assert 'fill="url(#bodychart-hatch-pain_areas)"' in html
    assert "<pattern" in html
    assert 'Marked: <span class="bodychart-marked">Low back (lumbar), Left calf</span>' in html


def test_nothing_marked_says_none():
    assert 'Marked: <span class="bodychart-marked">none</span>' in render_body_chart(set(), "x")


def test_the_chart_has_no_inline_style_or_script():
    html = render_body_chart({"head"}, "pain_areas")
    assert "style=" not in html and "<script" not in html and "onclick" not in html


def test_marked_areas_round_trip_through_the_intake(therapist, client_record):
    url = reverse("screening:intake_new", args=[client_record.pk])
    chosen = ["neck_posterior", "low_back", "calf_right"]
    browser = logged_in(therapist)
    assert browser.post(url, intake_post(pain_areas=chosen)).status_code == 302
    assert Intake.objects.get().answers["pain_areas"] == chosen
    page = browser.get(url).content.decode()  # a new intake starts from the last one
    marked = set(re.findall(r'class="bodychart-region is-selected" data-region="(\w+)"', page))
    assert marked == set(chosen)
    for region in chosen:
        assert re.search(rf'<input[^>]*value="{region}"[^>]*checked', page), region
