"""Pages of a client's lists (plans, decisions, discharge summaries) that are counted only
when there is more than one page: most clients' lists fit on the first, which then costs one
query instead of a COUNT and a SELECT."""

from django.core.paginator import Page, Paginator


def page_of(rows, page: str | None, size: int) -> Page:
    """The asked-for page of `rows` (a queryset); the first when none is asked for."""
    if page not in (None, "", "1"):
        return Paginator(rows, size).get_page(page)
    first = list(rows[: size + 1])
    if len(first) <= size:
        return Paginator(first, size).get_page(1)
    return Page(first[:size], 1, Paginator(rows, size))
