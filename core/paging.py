"""A page of a queryset and the count of all its rows, in one query (issue 22)."""

from django.core.paginator import Paginator
from django.db.models import Count, Window


def page_of(queryset, per_page, number):
    """``Paginator(queryset, per_page).get_page(number)``, the page's rows and the total read
    in one statement (a window count on each row) wherever the page holds rows; Django's own
    two reads otherwise (no rows at all, a page past the end or below 1).

    The page's ``object_list`` is then a list of the rows (each with a ``page_total``).
    """
    paginator = Paginator(queryset, per_page)
    try:  # as Paginator.validate_number reads the number, without counting first
        if isinstance(number, float) and not number.is_integer():
            raise ValueError
        wanted = int(number)
    except (TypeError, ValueError):
        wanted = 1
    if wanted >= 1:
        bottom = (wanted - 1) * per_page
        rows = list(queryset.annotate(page_total=Window(Count("pk")))[bottom : bottom + per_page])
        if rows:
            paginator.count = rows[0].page_total
            page = paginator.page(wanted)
            page.object_list = rows
            return page
    return paginator.get_page(number)
