"""Every client page and API route, as anonymous, outsider, unassigned colleague, front desk,
therapist and owner. Other clinics' ids must reveal nothing: 404, never 403."""

import json

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from kneadwell.conftest import ROLES, bearer, logged_in

# (name, method, url builder, expected status per role)
UI_ROUTES = [
    ("list", "get", lambda c: reverse("clients:list"), [302, 200, 200, 200, 200, 200]),
    (
        "detail",
        "get",
        lambda c: reverse("clients:detail", args=[c.pk]),
        [302, 404, 404, 200, 200, 200],
    ),
    ("edit", "get", lambda c: reverse("clients:edit", args=[c.pk]), [302, 404, 404, 200, 200, 200]),
    (
        "archive",
        "post",
        lambda c: reverse("clients:archive", args=[c.pk]),
        [302, 404, 404, 403, 302, 302],
    ),
    (
        "erase",
        "get",
        lambda c: reverse("clients:erase", args=[c.pk]),
        [302, 404, 403, 403, 403, 200],
    ),
    ("create", "get", lambda c: reverse("clients:create"), [302, 200, 200, 200, 200, 200]),
]

API_ROUTES = [
    ("list", "get", lambda c: "/api/v1/clients", None, [401, 200, 200, 200, 200, 200]),
    ("get", "get", lambda c: f"/api/v1/clients/{c.pk}", None, [401, 404, 404, 200, 200, 200]),
    (
        "patch",
        "patch",
        lambda c: f"/api/v1/clients/{c.pk}",
        {"phone": "555-9999"},
        [401, 404, 404, 200, 200, 200],
    ),
    (
        "archive",
        "post",
        lambda c: f"/api/v1/clients/{c.pk}/archive",
        None,
        [401, 404, 404, 403, 200, 200],
    ),
    (
        "search",
        "post",
        lambda c: "/api/v1/clients/search",
        {"q": "Lovelace"},
        [401, 200, 200, 200, 200, 200],
    ),
]


@pytest.mark.parametrize(
    ("name", "method", "url", "expected"), UI_ROUTES, ids=[r[0] for r in UI_ROUTES]
)
def test_ui_route_access(people, client_record, name, method, url, expected):
    for role, status in zip(ROLES, expected, strict=True):
        user = people[role]
        browser = logged_in(user) if user else HttpClient()
        response = getattr(browser, method)(url(client_record))
        assert response.status_code == status, f"{name} as {role}"
        if status == 302 and role == "anonymous":
            assert response["Location"].startswith(reverse("login"))
        if client_record.is_archived:
            client_record.restore()
        client_record.refresh_from_db()


@pytest.mark.parametrize(
    ("name", "method", "url", "body", "expected"), API_ROUTES, ids=[r[0] for r in API_ROUTES]
)
def test_api_route_access(people, client_record, name, method, url, body, expected):
    for role, status in zip(ROLES, expected, strict=True):
        user = people[role]
        headers = bearer(user) if user else {}
        kwargs = {"content_type": "application/json", "data": json.dumps(body)} if body else {}
        response = getattr(HttpClient(), method)(url(client_record), **kwargs, **headers)
        assert response.status_code == status, f"{name} as {role}: {response.content!r}"
        assert "detail" in response.json() or status == 200
        client_record.refresh_from_db()
        if client_record.is_archived:
            client_record.restore()


def test_the_list_shows_only_clients_the_person_may_see(people, client_record):
    for role, visible in [
        ("outsider", False),
        ("colleague", False),
        ("desk", True),
        ("owner", True),
    ]:
        page = logged_in(people[role]).get(reverse("clients:list")).content.decode()
        assert ("Lovelace" in page) is visible, role
        items = HttpClient().get("/api/v1/clients", **bearer(people[role])).json()["items"]
        assert (len(items) == 1) is visible, role


def test_front_desk_sees_contact_details_but_no_clinical_sections(desk, client_record):
    page = logged_in(desk).get(reverse("clients:detail", args=[client_record.pk])).content.decode()
    assert "Contact" in page
    assert "Treatment plan" not in page
    assert "Clinical records are visible to the client's therapists" in page


def test_the_assigned_therapist_sees_the_clinical_sections(therapist, client_record):
    page = (
        logged_in(therapist)
        .get(reverse("clients:detail", args=[client_record.pk]))
        .content.decode()
    )
    assert "Treatment plan" in page
    assert "No treatment plan yet." in page


def test_a_deactivated_therapist_loses_access(therapist, client_record):
    browser = logged_in(therapist)
    therapist.membership.is_active = False
    therapist.membership.save()
    response = browser.get(reverse("clients:detail", args=[client_record.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
