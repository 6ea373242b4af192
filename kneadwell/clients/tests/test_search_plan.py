"""The search is answered from the search indexes (clinic first), not by reading every client.

Planners choose by statistics, so the clinic gets a few thousand made-up clients and the
tables are analysed first. SQLite's estimates are rough: there only the one-column searches are
asserted (they use their index); a name read several ways may be planned as a walk of the
clinic's clients in list order. PostgreSQL must use the indexes for every form (a BitmapOr of
index scans for a name read several ways).
"""

import random
import string

from django.db import connection

from kneadwell.clients.models import Client
from kneadwell.conftest import make_client

ONE_COLUMN = [
    ("Lovelace, Ada", "client_search_family"),
    ("020 7946 0958", "client_search_phone"),
    ("03/1961", "client_birth_date"),
]
SEVERAL_WAYS = [("Ada Love", "client_search_given"), ("lov", "client_search_preferred")]


def test_the_search_uses_its_indexes(clinic, therapist):
    rng = random.Random(7)

    def word(n):
        return "".join(rng.choices(string.ascii_lowercase, k=n))

    Client.objects.bulk_create(
        Client(
            clinic=clinic, given_names=word(6), family_name=word(8),
            phone=str(rng.randrange(10**9)),
            birth_date=f"{rng.randrange(1930, 2005)}-{rng.randrange(1, 13):02d}-01",
        )
        for _ in range(3000)
    )  # fmt: skip
    make_client(clinic, therapist, phone="020 7946 0958", birth_date="1961-03-07")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    cases = ONE_COLUMN + (SEVERAL_WAYS if connection.vendor == "postgresql" else [])
    for text, index in cases:
        plan = Client.objects.filter(clinic=clinic).search(text).explain()
        assert index in plan, (text, plan)
        assert "Seq Scan" not in plan, (text, plan)
