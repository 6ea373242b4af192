"""Pages of the API's lists: `{items, next}`, at most `limit` items, and an opaque `cursor` for
the next page that marks where this one stopped (keyset on the list's order, never OFFSET, so
rows added meanwhile neither repeat nor go missing)."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.core import signing
from django.db.models import F, Q, QuerySet
from ninja import Field, Schema
from ninja.errors import ValidationError
from pydantic import create_model

LIMIT = 50
MAX_LIMIT = 200
_SALT = "kneadwell.core.pages"


class PageParams(Schema):
    """The query parameters of every API list (query values are text: a body that takes them
    derives from InputSchema too, as `clients.api.SearchIn` does)."""

    limit: int = Field(LIMIT, ge=1, le=MAX_LIMIT, description="Items per page")
    cursor: str | None = Field(
        None, max_length=200, description="`next` of the page before; leave out for the first"
    )


def page_of(item: type[Schema]) -> type[Schema]:
    """The response schema of a page of `item`s."""
    return create_model(
        f"{item.__name__}Page",
        __base__=Schema,
        items=(list[item], ...),
        next=(str | None, Field(description="The cursor of the next page; null on the last")),
    )


@dataclass(frozen=True)
class Key:
    """One column of a list's order. Nulls come last either way, on every database."""

    field: str
    descending: bool = False

    def order(self):
        column = F(self.field)
        return column.desc(nulls_last=True) if self.descending else column.asc(nulls_last=True)

    def beyond(self, value) -> Q:
        """Rows after `value` in this column alone."""
        if value is None:
            return Q(pk__in=[])  # nulls are last: nothing is beyond them
        later = Q(**{f"{self.field}__{'lt' if self.descending else 'gt'}": value})
        return later | Q(**{f"{self.field}__isnull": True})

    def same(self, value) -> Q:
        return Q(**{f"{self.field}__isnull": True}) if value is None else Q(**{self.field: value})


def keyset_page(rows: QuerySet, keys: Sequence[Key], params: PageParams) -> dict:
    """One page of `rows` in the order of `keys` (the last must be unique, e.g. the id)."""
    rows = rows.order_by(*(key.order() for key in keys))
    if params.cursor:
        rows = rows.filter(_after(rows, keys, _anchor(rows, params.cursor)))
    found = list(rows[: params.limit + 1])
    items = found[: params.limit]
    more = len(found) > params.limit
    return {"items": items, "next": _cursor(rows, items[-1].pk) if more else None}


def _after(rows: QuerySet, keys: Sequence[Key], pk) -> Q:
    """Rows after the row `pk` in the order of `keys`: later in the first key, or the same in
    it and later in the next, and so on."""
    fields = [key.field for key in keys]
    anchor = rows.prefetch_related(None).filter(pk=pk).values(*fields).first()
    if anchor is None:  # gone since (erased, archived) or not in this list
        raise _bad_cursor()
    after, same = Q(pk__in=[]), Q()
    for key in keys:
        after |= same & key.beyond(anchor[key.field])
        same &= key.same(anchor[key.field])
    return after


def _cursor(rows: QuerySet, pk) -> str:
    return signing.dumps([rows.model._meta.label_lower, pk], salt=_SALT, compress=False)


def _anchor(rows: QuerySet, cursor: str):
    try:
        label, pk = signing.loads(cursor, salt=_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        raise _bad_cursor() from None
    if label != rows.model._meta.label_lower or not isinstance(pk, int):
        raise _bad_cursor()
    return pk


def _bad_cursor() -> ValidationError:
    message = "this cursor is not from this list, or its place is gone; start from the first page"
    return ValidationError([{"loc": ("query", "cursor"), "msg": message}])
