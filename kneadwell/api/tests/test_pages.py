"""Every API list comes a page at a time (issue 18): `{items, next}`, a `limit` with a default and
a maximum, and an opaque `cursor` that continues where the page stopped (keyset, not OFFSET).
Run on PostgreSQL too (DATABASE_URL), where nulls and collation order differently by default."""

from datetime import date, time, timedelta

import pytest
from django.utils import timezone

from kneadwell.clients.models import Client
from kneadwell.conftest import api_as, make_client
from kneadwell.core.pages import LIMIT, MAX_LIMIT
from kneadwell.measures.models import Response
from kneadwell.measures.tests.helpers import record_series
from kneadwell.reports.tests.progress_helpers import make_plan
from kneadwell.screening.enforce import record_intake
from kneadwell.visits.models import Visit


def walk(call, url: str, limit: int, method: str = "get", body: dict | None = None) -> list:
    """Every page of a list, following `next`; the ids in the order given."""
    ids, cursor, pages = [], None, 0
    while True:
        if method == "get":
            sep = "&" if "?" in url else "?"
            page = call("get", f"{url}{sep}limit={limit}" + (f"&cursor={cursor}" if cursor else ""))
        else:
            page = call("post", url, {**(body or {}), "limit": limit, "cursor": cursor})
        assert page.status_code == 200, page.content
        data = page.json()
        assert set(data) == {"items", "next"}
        assert len(data["items"]) <= limit
        ids += [item["id"] for item in data["items"]]
        pages += 1
        cursor = data["next"]
        if cursor is None:
            return ids
        assert pages < 50


@pytest.fixture
def call(therapist):
    return api_as(therapist)


def test_clients_come_by_name_across_pages(call, clinic, therapist):
    names = ["Zed", "adams", "Adams", "Brown", "Brown", "Brown", "Ćwik", "Young"]
    for n, family in enumerate(names):
        make_client(clinic, therapist, family_name=family, given_names=f"G{n % 3}")
    expected = list(Client.objects.order_by("family_name", "given_names", "id").values_list("pk"))
    expected = [pk for (pk,) in expected]
    assert walk(call, "/api/v1/clients", 3) == expected
    assert walk(call, "/api/v1/clients", 1) == expected
    assert walk(call, "/api/v1/clients/search", 2, "post", {"q": "brown"}) == [
        pk for pk in expected if Client.objects.get(pk=pk).family_name == "Brown"
    ]


def test_visits_with_and_without_a_start_time_all_come_once(call, client_record, therapist):
    _, version = make_plan(client_record, therapist)
    for n in range(7):
        Visit.objects.create(
            clinic_id=client_record.clinic_id, client=client_record, therapist=therapist,
            plan_version=version, visit_date=date(2026, 11, 1 + n // 3),
            start_time=None if n % 2 else time(9 + n, 0),
        )  # fmt: skip
    ids = walk(call, f"/api/v1/clients/{client_record.pk}/visits", 2)
    assert sorted(ids) == sorted(Visit.objects.values_list("pk", flat=True))
    visits = [Visit.objects.get(pk=pk) for pk in ids]
    days = [v.visit_date for v in visits]
    assert days == sorted(days, reverse=True)
    for day in set(days):  # within a day: timed ones latest first, then the untimed ones
        same = [v.start_time for v in visits if v.visit_date == day]
        timed = [t for t in same if t is not None]
        assert same == sorted(timed, reverse=True) + [None] * (len(same) - len(timed))


def test_responses_intakes_and_plans_come_newest_first(call, client_record, therapist):
    record_series(client_record, "nprs", [{"1": n} for n in range(5)], recall="now")
    same_moment = timezone.now() - timedelta(days=1)
    Response.objects.update(taken_at=same_moment)  # ties broken by id
    for _ in range(3):
        record_intake(client_record, {"complaint": "back", "consent": True}, therapist)
        make_plan(client_record, therapist)
    base = f"/api/v1/clients/{client_record.pk}"
    responses = walk(call, f"{base}/responses", 2)
    assert responses == sorted(responses, reverse=True) and len(responses) == 5
    assert walk(call, f"{base}/responses?instrument=nprs", 4) == responses
    assert len(walk(call, f"{base}/intakes", 2)) == 3
    plans = walk(call, f"{base}/plans", 1)
    assert plans == sorted(plans, reverse=True) and len(plans) == 3


def test_a_row_added_between_pages_neither_repeats_nor_hides_the_rest(call, clinic, therapist):
    for family in ["Baker", "Cole", "Dunn", "Eve"]:
        make_client(clinic, therapist, family_name=family)
    first = call("get", "/api/v1/clients?limit=2").json()
    make_client(clinic, therapist, family_name="Abbot")  # sorts before the page we are on
    rest = call("get", f"/api/v1/clients?limit=10&cursor={first['next']}").json()
    names = [c["family_name"] for c in first["items"] + rest["items"]]
    assert names == ["Baker", "Cole", "Dunn", "Eve"]


def test_the_limit_has_a_default_and_a_maximum(call, clinic, therapist):
    for n in range(LIMIT + 1):
        Client.objects.create(
            clinic=clinic, given_names="A", family_name=f"N{n:03}", birth_date="1970-01-01"
        ).therapists.add(therapist)
    page = call("get", "/api/v1/clients").json()
    assert len(page["items"]) == LIMIT and page["next"]
    for limit in (0, MAX_LIMIT + 1, "ten"):
        response = call("get", f"/api/v1/clients?limit={limit}")
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "limit"


def test_a_cursor_works_only_in_its_own_list(call, clinic, client_record, therapist):
    make_client(clinic, therapist, family_name="Zed")
    record_series(client_record, "nprs", [{"1": 1}, {"1": 2}], recall="now")
    clients_cursor = call("get", "/api/v1/clients?limit=1").json()["next"]
    url = f"/api/v1/clients/{client_record.pk}/responses?cursor={clients_cursor}"
    for bad in (url, "/api/v1/clients?cursor=forged", "/api/v1/clients?cursor=MQ:1:x"):
        response = call("get", bad)
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "cursor"


def test_another_therapists_client_cannot_anchor_a_page(call, clinic, colleague, therapist):
    make_client(clinic, therapist, family_name="Mine")
    theirs = make_client(clinic, colleague, family_name="Theirs")
    make_client(clinic, therapist, family_name="Yours")
    theirs_cursor = api_as(colleague)("get", "/api/v1/clients?limit=1").json()
    assert theirs_cursor["items"][0]["id"] == theirs.pk and theirs_cursor["next"] is None
    # A cursor is signed, so a forged one naming their client is refused like any other.
    response = call("get", "/api/v1/clients?cursor=" + "x" * 20)
    assert response.status_code == 422


def test_the_cursor_holds_no_name(call, clinic, therapist):
    for family in ["Quixote", "Sancho"]:
        make_client(clinic, therapist, family_name=family)
    cursor = call("get", "/api/v1/clients?limit=1").json()["next"]
    import base64

    readable = base64.urlsafe_b64decode(cursor.split(":")[0] + "==").decode()
    assert "Quixote" not in readable and "Quixote" not in cursor
