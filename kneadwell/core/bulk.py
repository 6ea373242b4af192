"""Fast inserts for bulk loads (the scale demo, the access log's `extend`).

`QuerySet.bulk_create` compiles its SQL afresh for every batch and prepares every value through
the full field machinery; over millions of rows that is most of the time. Here the statement is
built once and rows go to `executemany`. Values are inserted exactly as given: no `save()`, no
`auto_now`, no signals, so callers set every field (historical dates included) themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db import connections, models, router

# Fields whose Python value is already what the driver expects.
_AS_IS = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.BooleanField,
    models.FloatField,
)


def _preparer(field: models.Field, connection) -> Callable[[Any], Any]:
    if isinstance(field, (*_AS_IS, models.ForeignKey)):
        return lambda value: value
    return lambda value: field.get_db_prep_save(value, connection)


def insert(
    model: type[models.Model],
    objects: Iterable[models.Model],
    *,
    with_pk: bool = False,
    batch: int = 5000,
) -> int:
    """INSERT `objects` (unsaved instances of `model`) and return how many. With `with_pk`
    their primary keys are inserted as set; otherwise the database numbers them (and the
    instances do not learn their keys). Run inside a transaction for speed."""
    connection = connections[router.db_for_write(model)]
    fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
    preparers = [(f.attname, _preparer(f, connection)) for f in fields]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    # Only the model's own table and column names, quoted, go into the statement.
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608
    count, rows = 0, []
    with connection.cursor() as cursor:
        for obj in objects:
            rows.append([prepare(getattr(obj, name)) for name, prepare in preparers])
            if len(rows) == batch:
                cursor.executemany(sql, rows)
                count, rows = count + len(rows), []
        if rows:
            cursor.executemany(sql, rows)
            count += len(rows)
    return count


def next_ids(*model_classes: type[models.Model]) -> dict[type[models.Model], int]:
    """The first free primary key of each model (for loaders that number rows themselves)."""
    found = {}
    for model in model_classes:
        top = model._base_manager.aggregate(top=models.Max("pk"))["top"]
        found[model] = (top or 0) + 1
    return found


def reset_sequences(*model_classes: type[models.Model]) -> None:
    """After inserting explicit keys: let the database's own numbering carry on above them
    (PostgreSQL sequences; SQLite's AUTOINCREMENT follows by itself)."""
    from django.core.management.color import no_style

    by_db: dict[str, list] = {}
    for model in model_classes:
        by_db.setdefault(router.db_for_write(model), []).append(model)
    for alias, group in by_db.items():
        connection = connections[alias]
        statements = connection.ops.sequence_reset_sql(no_style(), group)
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
