"""Shared test helpers: a clinic with an owner, two therapists and front desk, and an outsider.

Like healthchecks' Alice/Bob/Charlie: `therapist` treats `client`, `colleague` is a therapist in
the same clinic who does not, `desk` is front desk, and `outsider` owns another clinic.
"""

import pytest
from django.test import Client as HttpClient

from kneadwell.accounts.models import ApiToken, Clinic, Membership, Role, User
from kneadwell.clients.models import Client

PASSWORD = "a-long-test-password-42"


@pytest.fixture(autouse=True)
def _fast_hasher(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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


def logged_in(user: User) -> HttpClient:
    browser = HttpClient()
    browser.force_login(user)
    return browser


def bearer(user: User) -> dict:
    _, token = ApiToken.issue(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}
