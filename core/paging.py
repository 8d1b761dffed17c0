"""A page of a queryset and the count of all its rows, in one query (issue 22)."""

from django.core.paginator import Paginator
from django.db.models import Count, Window


def wanted_page(number):
    """The page number ``?page=`` asks for, as Paginator.validate_number reads it (without
    counting first); 1 for anything that is not a whole number."""
    try:
        if isinstance(number, float) and not number.is_integer():
            raise ValueError
        return int(number)
    except (TypeError, ValueError):
        return 1


def page_rows_query(queryset, per_page, wanted):
    """The rows of page ``wanted`` (at least 1), each with ``page_total``: the count of all."""
    bottom = (wanted - 1) * per_page
    return queryset.annotate(page_total=Window(Count("pk")))[bottom : bottom + per_page]


def page_of(queryset, per_page, number, *, rows=None):
    """``Paginator(queryset, per_page).get_page(number)``, the page's rows and the total read
    in one statement (a window count on each row) wherever the page holds rows or is the
    first; Django's own two reads otherwise (a page past the end or below 1). ``rows``:
    ``page_rows_query``'s rows for ``wanted_page(number)``, read already (with a page's other
    reads in one prepared statement). ``queryset`` may be a function giving it, called only
    when it is read (building a filtered queryset costs time the rows read make useless).

    The page's ``object_list`` is then a list of the rows (each with a ``page_total``), and
    so is its paginator's (read no further: its count is the total).
    """
    wanted = wanted_page(number)
    if wanted >= 1:
        if rows is None:
            queryset = _made(queryset)
            rows = list(page_rows_query(queryset, per_page, wanted))
        if rows or wanted == 1:
            # No rows on the first page: there are none at all.
            paginator = Paginator(rows, per_page)
            paginator.count = rows[0].page_total if rows else 0
            page = paginator.page(wanted)
            page.object_list = rows
            return page
    return Paginator(_made(queryset), per_page).get_page(number)


def _made(queryset):
    return queryset() if callable(queryset) else queryset
