"""Migration 0004 fills the search columns of clients recorded before they existed."""

import importlib

from django.apps import apps

from kneadwell.clients.models import Client
from kneadwell.conftest import make_client

fill = importlib.import_module("kneadwell.clients.migrations.0004_fill_search_columns").fill


def test_it_fills_the_search_columns_of_existing_clients(clinic, therapist):
    client = make_client(clinic, therapist, family_name="Ødegård", phone="+47 22 33 44 55")
    Client.objects.update(search_family="", search_given="", search_phone="")  # as before 0003
    fill(apps, None)
    client.refresh_from_db()
    assert (client.search_family, client.search_given) == ("ødegard", "ada")
    assert client.search_phone == "5544332274"
