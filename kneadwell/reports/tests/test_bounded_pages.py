"""The chart, progress and visit-note pages cost the same for a client with 200 visits as for
one with 10 (issue 18 item 3): the same number of queries, and HTML that stops growing once
each list shows its first page. The clients differ only in their number of visits
(long_record.py); the progress chart of 200 weekly scores is thinned, and its table pages."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kneadwell.conftest import logged_in
from kneadwell.measures import graphs
from kneadwell.reports.tests.long_record import long_record
from kneadwell.visits.models import Visit

SIZES = (10, 100, 200)


@pytest.fixture
def records(clinic, therapist):
    return {n: long_record(clinic, therapist, n) for n in SIZES}


def _url(page: str, client) -> str:
    if page == "note":
        return Visit.objects.filter(client=client).first().get_absolute_url()
    name = {"chart": "clients:detail", "progress": "reports:progress"}[page]
    return reverse(name, args=[client.pk])


def _measure(browser, url) -> tuple[int, int, str]:
    browser.get(url)  # warm: sessions, caches
    with CaptureQueriesContext(connection) as queries:
        response = browser.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    # Digits (dates, counts) differ between clients; what is shown must not.
    return len(queries), len(re.sub(r"\d", "", html)), html


@pytest.mark.parametrize("page", ["chart", "progress", "note"])
def test_the_page_does_not_grow_with_the_number_of_visits(therapist, records, page):
    browser = logged_in(therapist)
    found = {n: _measure(browser, _url(page, client)) for n, client in records.items()}
    queries = {n: q for n, (q, _, _) in found.items()}
    sizes = {n: s for n, (_, s, _) in found.items()}
    assert queries[200] == queries[100] == queries[10], f"{page}: queries {queries}"
    # Each list shows one page and each chart at most graphs.MOST_POINTS points, so more
    # visits add a bounded amount (the RMDQ chart, one score in four visits, fills up to its
    # cap between 100 and 200 visits) and nothing once every cap is reached.
    assert sizes[200] <= sizes[100] * 1.2, f"{page}: sizes {sizes}"
    assert sizes[200] <= sizes[10] * 3, f"{page}: sizes {sizes}"


def test_the_progress_chart_of_200_scores_draws_at_most_60_points(therapist, records):
    html = logged_in(therapist).get(_url("progress", records[200])).content.decode()
    nprs = html.split('data-instrument="nprs-now"')[1].split("</svg>")[0]
    assert 20 <= nprs.count('class="chart-point"') <= graphs.MOST_POINTS
    assert "each the median of the scores in a 4-week period" in html
    assert "200 NPRS: pain right now scores from" in html  # the words count every score
    # The table shows the latest page of every score, and pages back to the baseline.
    assert "(181–200 of 200)" in html
    assert 'href="?table=1&amp;page=9#figure-1"' in html


def test_every_score_stays_reachable_through_the_table_pages(therapist, records):
    browser = logged_in(therapist)
    url = _url("progress", records[200])
    first = browser.get(url, {"table": "1", "page": "1"}).content.decode()
    assert "(1–20 of 200)" in first
    assert "<td>baseline</td>" in first
    assert "Later scores" in first and "Earlier scores" not in first.split("figure-1")[1][:4000]


def test_the_decisions_page_back_to_the_first(therapist, records):
    browser = logged_in(therapist)
    url = _url("progress", records[200])
    html = browser.get(url).content.decode()
    assert "Decisions 1–10 of 50, newest first" in html
    last = browser.get(url, {"decisions": "5"}).content.decode()
    assert "Decisions 41–50 of 50, newest first" in last


def test_the_chart_links_to_every_visit_a_page_at_a_time(therapist, records):
    browser = logged_in(therapist)
    client = records[200]
    chart = browser.get(_url("chart", client)).content.decode()
    assert chart.count('class="visit-list"') == 1
    assert "All 200 visits" in chart
    listing = reverse("visits:list", args=[client.pk])
    assert listing in chart
    page = browser.get(listing, {"page": "4"}).content.decode()
    assert "Page 4 of 4 (200 visits)" in page
    assert page.count("<tr><td><a href=") == 50
