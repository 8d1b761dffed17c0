"""core.paging.page_of: Paginator.get_page's page, the rows and the count in one query."""

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from branches.models import Branch
from core.paging import page_of, page_rows_query
from tests.branches.factories import BranchFactory

pytestmark = pytest.mark.django_db

NUMBERS = [None, "", "abc", 1, "1", 2, "3", 3, 4, 99, 0, "0", -1, 2.0, 2.5, "2.5"]


def _shape(page):
    return (
        page.number,
        [branch.pk for branch in page],
        page.paginator.count,
        page.paginator.num_pages,
        page.has_next(),
        page.has_previous(),
        page.start_index(),
        page.end_index(),
    )


@pytest.mark.parametrize("rows", [0, 1, 6, 7])
@pytest.mark.parametrize("number", NUMBERS)
def test_it_is_the_paginators_page(rows, number):
    BranchFactory.create_batch(rows)
    queryset = Branch.objects.order_by("code")
    expected = _shape(Paginator(queryset, 3).get_page(number))
    assert _shape(page_of(queryset, 3, number)) == expected
    assert _shape(page_of(lambda: queryset, 3, number)) == expected


def test_a_page_with_rows_is_one_query():
    BranchFactory.create_batch(7)
    with CaptureQueriesContext(connection) as queries:
        page = page_of(Branch.objects.order_by("code"), 3, "2")
        assert (page.paginator.count, len(page), page.paginator.num_pages) == (7, 3, 3)
    assert len(queries) == 1


def test_rows_read_already_leave_the_queryset_unmade():
    BranchFactory.create_batch(7)
    queryset = Branch.objects.order_by("code")
    rows = list(page_rows_query(queryset, 3, 2))

    def made():
        raise AssertionError("the queryset was made")

    with CaptureQueriesContext(connection) as queries:
        page = page_of(made, 3, "2", rows=rows)
    assert len(queries) == 0
    assert _shape(page) == _shape(Paginator(queryset, 3).get_page("2"))
