"""Shared by the export and import tests."""

from django.core.management import call_command
from django.db import connection


def empty_database() -> None:
    """Empty every table, as on a new installation, inside the test's transaction. PostgreSQL
    first runs the checks it deferred to the end of the transaction (TRUNCATE refuses tables
    with pending checks)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)
