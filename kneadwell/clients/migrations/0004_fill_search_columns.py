"""Fill the search columns of clients recorded before they existed."""

from django.db import migrations

from kneadwell.clients import search

COLUMNS = ["search_family", "search_given", "search_preferred", "search_phone"]


def fill(apps, schema_editor):
    Client = apps.get_model("clients", "Client")
    batch = []
    for client in Client.objects.only("family_name", "given_names", "preferred_name", "phone"):
        client.search_family = search.fold(client.family_name)[:300]
        client.search_given = search.fold(client.given_names)[:300]
        client.search_preferred = search.fold(client.preferred_name)[:300]
        client.search_phone = search.phone_key(client.phone)[:40]
        batch.append(client)
        if len(batch) == 1000:
            Client.objects.bulk_update(batch, COLUMNS)
            batch = []
    Client.objects.bulk_update(batch, COLUMNS)


class Migration(migrations.Migration):
    dependencies = [("clients", "0003_client_search_columns")]

    # Going back, 0003 drops the columns, so there is nothing to undo here.
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
