"""The outcomes page over a big clinic (run with `make bench`; excluded from `make test`).

The Scale Clinic (kneadwell/demo/scale.py) is grown once per run to KNEADWELL_BENCH_VISITS visit
notes (1,000,000 by default: about 15 minutes on SQLite), its course summary is built once, and
then each page is timed against the cheapest signed-in page (/library/) measured in the same
run. The target is at most 1 second per page at 1,000,000 visits, on SQLite and on PostgreSQL
(DATABASE_URL=… make bench). A benchmark, not a timed test: nothing here fails on time.
"""

import os
import time

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from kneadwell.accounts.models import User
from kneadwell.analytics.models import Course
from kneadwell.analytics.refresh import rebuild, refresh
from kneadwell.demo.scale import create_scale
from kneadwell.plans.models import Plan, PlanStatus
from kneadwell.visits.models import Visit

pytestmark = [pytest.mark.bench, pytest.mark.django_db]
VISITS = int(os.environ.get("KNEADWELL_BENCH_VISITS", "1000000"))
FIGURES: dict[str, float] = {}


@pytest.fixture(scope="module")
def scale(request, django_db_setup, django_db_blocker):
    """The Scale Clinic and its built summary, kept for the whole module; the figures are
    printed when the module is done (a test without the benchmark fixture would be skipped
    by `make bench`'s --benchmark-only, as the summary test was)."""
    with django_db_blocker.unblock():
        started = time.monotonic()
        result = create_scale(VISITS, special=(10, 100, 1000), say=lambda _: None)
        FIGURES["generate (s)"] = time.monotonic() - started
        if connection.vendor == "postgresql":
            # What autovacuum does within minutes of a bulk load in a live database; timing
            # before it would time the planner's guesses about tables it believes empty.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        started = time.monotonic()
        rebuild(result.clinic.pk)
        FIGURES["full summary build (s)"] = time.monotonic() - started
        FIGURES["visits"] = Visit.objects.filter(clinic=result.clinic).count()
        FIGURES["courses"] = Course.objects.filter(clinic=result.clinic).count()
        yield result
    if "floor /library/ (s)" in FIGURES:
        capture = request.config.pluginmanager.getplugin("capturemanager")
        with capture.global_and_fixture_disabled():
            print("\n" + summary())


def summary() -> str:
    """The figures, each page as a ratio to the floor page of the same run."""
    floor = FIGURES["floor /library/ (s)"]
    with open("/proc/loadavg") if os.path.exists("/proc/loadavg") else open(os.devnull) as found:
        load = " ".join(found.read().split()[:3]) or "?"
    lines = [f"Outcomes at scale ({connection.vendor}; load average {load}):"]
    for name, value in FIGURES.items():
        if isinstance(value, int):
            lines.append(f"  {name:<50} {value:>12,}")
        elif name.endswith("(s)") and "generate" not in name and "build" not in name:
            lines.append(f"  {name:<50} {value:>12.3f}  {value / floor:6.1f}× the floor")
        else:
            lines.append(f"  {name:<50} {value:>12.1f}")
    return "\n".join(lines)


def _browser(email):
    browser = HttpClient()
    browser.force_login(User.objects.get(email=email))
    return browser


def _owner(scale):
    return scale.clinic.memberships.get(role="owner").user.email


def _timed(benchmark, name, call):
    result = benchmark.pedantic(call, rounds=7, iterations=1, warmup_rounds=1)
    FIGURES[name] = benchmark.stats.stats.median
    return result


def test_bench_floor_page(benchmark, scale):
    browser = _browser(_owner(scale))
    response = _timed(benchmark, "floor /library/ (s)", lambda: browser.get("/library/"))
    assert response.status_code == 200
    assert FIGURES["visits"] >= VISITS


def test_bench_outcomes_page_owner(benchmark, scale):
    browser = _browser(_owner(scale))
    url = reverse("analytics:outcomes")
    response = _timed(benchmark, "outcomes page, owner, 2 years (s)", lambda: browser.get(url))
    assert response.status_code == 200 and response.context["report"].started > 0


def test_bench_outcomes_page_all_years_one_condition(benchmark, scale):
    browser = _browser(_owner(scale))
    url = reverse("analytics:outcomes")
    query = {"start": "2000-01-01", "condition": "chronic_lbp", "measure": "nprs"}
    response = _timed(
        benchmark, "outcomes page, 10 years, LBP, NPRS (s)", lambda: browser.get(url, query)
    )
    assert response.context["report"].started > 0


def test_bench_outcomes_page_therapist(benchmark, scale):
    therapist = scale.clinic.memberships.filter(role="therapist").first().user
    browser = _browser(therapist.email)
    url = reverse("analytics:outcomes")
    response = _timed(
        benchmark, "outcomes page, one therapist's clients (s)", lambda: browser.get(url)
    )
    assert response.status_code == 200


def test_bench_outcomes_page_after_a_note_is_signed(benchmark, scale):
    """Each round signs one more note first, so the page refreshes that client's courses."""
    browser = _browser(_owner(scale))
    url = reverse("analytics:outcomes")
    plans = list(
        Plan.objects.filter(clinic=scale.clinic, status=PlanStatus.ACTIVE).select_related("client")[
            :20
        ]
    )
    signer = scale.clinic.memberships.filter(role="therapist").first().user

    def sign_one():
        plan = plans.pop()
        visit = Visit.objects.create(
            clinic=scale.clinic,
            client=plan.client,
            therapist=signer,
            plan_version=plan.current(),
            visit_date=timezone.localdate(),
        )
        visit.sign(signer)
        return (), {}

    def view():
        return browser.get(url)

    benchmark.pedantic(view, setup=sign_one, rounds=7, iterations=1)
    FIGURES["outcomes page, just after a note is signed (s)"] = benchmark.stats.stats.median


def test_bench_csv_export(benchmark, scale):
    browser = _browser(_owner(scale))
    url = reverse("analytics:csv", args=["sessions_to_improvement"])
    response = _timed(benchmark, "CSV of the sessions curve (s)", lambda: browser.get(url))
    assert response.status_code == 200


def test_bench_plan_page_with_the_outlook(benchmark, scale):
    browser = _browser(_owner(scale))
    plan = Plan.objects.filter(clinic=scale.clinic, condition="chronic_lbp").last()
    response = _timed(
        benchmark,
        "plan page with the clinic's outlook (s)",
        lambda: browser.get(plan.get_absolute_url()),
    )
    assert response.status_code == 200


def test_bench_refresh_with_nothing_changed(benchmark, scale):
    refresh(scale.clinic.pk)
    _timed(benchmark, "refresh check, nothing changed (s)", lambda: refresh(scale.clinic.pk))
