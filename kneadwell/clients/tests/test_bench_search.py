"""Benchmarks of finding a client in a large clinic (run with `make bench`)."""

import random
import string

import pytest
from django.db import connection

from kneadwell.clients.models import Client
from kneadwell.conftest import make_client

pytestmark = pytest.mark.bench

CLIENTS = 10_000


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["Lovelace, Ada", "Ada Love", "lov", "020 7946 0958", "1961"])
def test_bench_search(benchmark, clinic, therapist, text):
    rng = random.Random(3)

    def word(n):
        return "".join(rng.choices(string.ascii_lowercase, k=n)).capitalize()

    Client.objects.bulk_create(
        Client(
            clinic=clinic, given_names=word(6), family_name=word(8),
            phone=f"0{rng.randrange(10**9, 10**10)}",
            birth_date=f"{rng.randrange(1930, 2005)}-{rng.randrange(1, 13):02d}-01",
        )
        for _ in range(CLIENTS)
    )  # fmt: skip
    make_client(clinic, therapist, phone="020 7946 0958", birth_date="1961-03-07")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    clients = Client.objects.filter(clinic=clinic)
    found = benchmark(lambda: list(clients.search(text)[:25]))
    assert found
