"""Shared test helpers: a clinic with an owner, two therapists and front desk, and an outsider.

Like healthchecks' Alice/Bob/Charlie: `therapist` treats `client`, `colleague` is a therapist in
the same clinic who does not, `desk` is front desk, and `outsider` owns another clinic.
"""

import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from kneadwell.accounts.models import ApiToken, Clinic, Membership, Role, User
from kneadwell.clients.models import Client

PASSWORD = "a-long-test-password-42"


@pytest.fixture(autouse=True)
def _fast_hasher(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _audit_checkpoints_of_this_test(settings, tmp_path):
    """Each test's access log starts empty, so its checkpoints go to a file of its own."""
    settings.KNEADWELL_AUDIT_CHECKPOINTS = tmp_path / "audit_checkpoints"


@pytest.fixture(autouse=True)
def _tasks_run_at_once():
    """Background jobs run inside the test that queues them; the worker's tests use a consumer."""
    from huey.contrib.djhuey import HUEY

    was = HUEY.immediate
    HUEY.immediate = True
    yield
    HUEY.immediate = was


def make_member(clinic: Clinic, email: str, role: str, **extra) -> User:
    user = User.objects.create_user(email, PASSWORD, **extra)
    Membership.objects.create(user=user, clinic=clinic, role=role)
    return user


def make_client(clinic: Clinic, *therapists: User, **fields) -> Client:
    values = {"given_names": "Ada", "family_name": "Lovelace", "birth_date": "1965-12-10"}
    values.update(fields)
    client = Client.objects.create(clinic=clinic, **values)
    client.refresh_from_db()
    client.therapists.add(*therapists)
    return client


@pytest.fixture
def clinic(db):
    return Clinic.objects.create(name="Willow Clinic")


@pytest.fixture
def owner(clinic):
    return make_member(clinic, "owner@willow.test", Role.OWNER, first_name="Olga")


@pytest.fixture
def therapist(clinic):
    return make_member(clinic, "tara@willow.test", Role.THERAPIST, first_name="Tara")


@pytest.fixture
def colleague(clinic):
    return make_member(clinic, "colin@willow.test", Role.THERAPIST, first_name="Colin")


@pytest.fixture
def desk(clinic):
    return make_member(clinic, "desk@willow.test", Role.FRONT_DESK, first_name="Dee")


@pytest.fixture
def outsider(db):
    other = Clinic.objects.create(name="Elsewhere Clinic")
    return make_member(other, "owner@elsewhere.test", Role.OWNER)


@pytest.fixture
def client_record(clinic, therapist):
    return make_client(clinic, therapist)


# The access-matrix roles, in the order the tables of expected statuses use.
ROLES = ["anonymous", "outsider", "colleague", "desk", "therapist", "owner"]


@pytest.fixture
def people(owner, therapist, colleague, desk, outsider):
    """Everyone in ROLES by name (anonymous is None)."""
    return {
        "anonymous": None,
        "outsider": outsider,
        "colleague": colleague,
        "desk": desk,
        "therapist": therapist,
        "owner": owner,
    }


def logged_in(user: User) -> HttpClient:
    browser = HttpClient()
    browser.force_login(user)
    return browser


def bearer(user: User) -> dict:
    _, token = ApiToken.issue(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def api_as(user: User):
    """call(method, url, body=None, raw=None): the JSON API as `user`, with a fresh token."""
    headers = bearer(user)

    def call(method: str, url: str, body=None, raw: str | None = None):
        kwargs = dict(headers)
        if body is not None or raw is not None:
            data = raw if raw is not None else json.dumps(body)
            kwargs.update(content_type="application/json", data=data)
        return getattr(HttpClient(), method)(url, **kwargs)

    return call


# --- Access matrices: one helper for every app (NetBox's ViewTestCases, healthchecks' Alice/Bob)

# Expected statuses in ROLES order, for the common cases.
CLINICAL_PAGE = (302, 404, 404, 403, 200, 200)  # the client's therapists and the owner only
CLINICAL_API = (401, 404, 404, 403, 200, 200)
MEMBER_PAGE = (302, 200, 200, 200, 200, 200)  # anyone signed in to a clinic
OWNER_PAGE = (302, 200, 403, 403, 403, 200)  # owners, each for their own clinic


@dataclass(frozen=True)
class Route:
    """One page or API route of an access matrix: how to reach it from the test's record, and
    the status each person in ROLES gets."""

    name: str
    url: Callable[[Any], str]
    expected: Sequence[int]
    method: str = "get"
    body: dict | None = None
    api: bool = False

    def __str__(self) -> str:
        return self.name


def check_access(people: dict, route: Route, record: Any, reset: Callable | None = None) -> None:
    """Request `route` as each of ROLES and check the status; `reset` restores state between
    people (after an archive, say). Other clinics' ids must reveal nothing: 404, never 403."""
    for role, status in zip(ROLES, route.expected, strict=True):
        user = people[role]
        url = route.url(record)
        if route.api:
            kwargs = bearer(user) if user else {}
            if route.body is not None:
                kwargs.update(content_type="application/json", data=json.dumps(route.body))
            response = getattr(HttpClient(), route.method)(url, **kwargs)
            assert response.status_code == status, f"{route} as {role}: {response.content!r}"
            if status >= 400:
                assert "detail" in response.json(), f"{route} as {role}"
        else:
            browser = logged_in(user) if user else HttpClient()
            args = (route.body or {},) if route.method == "post" else ()
            response = getattr(browser, route.method)(url, *args)
            assert response.status_code == status, f"{route} as {role}"
            if status == 302 and role == "anonymous":
                assert response["Location"].startswith(reverse("login")), route
        if reset is not None:
            reset()


# --- Browser tests: real Chromium (Debian's) driven by Playwright ------------------------------

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls in test bodies are
    # still synchronous, so tell Django that is intended (test processes only).
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu"],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1100, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def sign_in(page, email: str, password: str | None = None) -> None:
    from kneadwell.demo.clinic import DEMO_PASSWORD

    page.goto("/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password or DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
