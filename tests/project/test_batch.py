"""core.batch.fetch_together: several reads in one statement, each exactly list(queryset)."""

import datetime
from decimal import Decimal

import pytest
from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth

from branches.models import Branch, DepositSnapshot, Visit
from core.batch import fetch_together
from staff.models import BranchStaff
from tests.branches.factories import DepositSnapshotFactory, VisitFactory
from tests.staff.factories import BranchStaffFactory

pytestmark = pytest.mark.django_db


def _same(querysets):
    expected = [list(qs) for qs in querysets]
    got = fetch_together(querysets)
    assert got == expected
    return got


def test_models_values_and_aggregates_come_back_as_django_gives_them(
    branch, django_assert_num_queries
):
    VisitFactory.create_batch(3, branch=branch, summary="送彩页")
    DepositSnapshotFactory(
        branch=branch, as_of=datetime.date(2026, 1, 5), personal=Decimal("12.50")
    )
    BranchStaffFactory.create_batch(2, branch=branch)
    querysets = [
        Visit.objects.filter(branch=branch)
        .select_related("manager__user")
        .order_by("-visited_at")[:2],
        DepositSnapshot.objects.filter(branch=branch).order_by("-as_of")[:2],
        BranchStaff.objects.filter(branch=branch).values("name", "role").order_by("name"),
        Visit.objects.filter(branch=branch)
        .annotate(month=TruncMonth("visited_at"))
        .values("month")
        .annotate(count=Count("pk")),
        DepositSnapshot.objects.filter(branch=branch)
        .values_list("branch_id")
        .annotate(total=Sum("personal")),
        Branch.objects.filter(pk=-1),
        Branch.objects.none(),
    ]
    with django_assert_num_queries(1):
        got = fetch_together(querysets)
    for queryset, rows in zip(querysets, got, strict=True):
        assert rows == list(queryset)
    visits = got[0]
    assert len(visits) == 2 and visits[0].summary == "送彩页"
    assert visits[0].manager.user.username  # select_related rows filled in
    assert visits[0].purposes == list(Visit.objects.get(pk=visits[0].pk).purposes)
    assert got[1][0].personal == Decimal("12.50") and got[1][0].as_of == datetime.date(2026, 1, 5)
    assert got[3][0]["count"] == 3
    assert got[4] == [(branch.pk, Decimal("12.50"))]


def test_one_part_is_a_plain_query(branch):
    _same([Branch.objects.filter(pk=branch.pk)])


def test_postgresql_plans_the_parts_as_one_append(branch):
    """A count (bigint in PostgreSQL, integer to Django), an integer column, varchar and text
    columns in different parts: the first SELECT types each result column as every part's
    value fits it, so PostgreSQL folds the UNION ALL into one append rather than nesting one
    per part (planning time on the branch page); the rows stay exactly list(queryset)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's plan (DATABASE_URL=postgres://...); .ci/run sets it")
    VisitFactory.create_batch(2, branch=branch, summary="送彩页", distance_m=120)
    BranchStaffFactory(branch=branch)
    querysets = [
        Visit.objects.filter(branch=branch).values_list("distance_m", "manager_id"),
        Visit.objects.filter(branch=branch).values("branch_id").annotate(count=Count("pk")),
        BranchStaff.objects.filter(branch=branch).values_list("name", "role"),  # varchar
        Visit.objects.filter(branch=branch).values_list("summary", "next_steps"),  # text
        Visit.objects.filter(branch=branch).annotate(n=Count("pk")).values_list("n", "pk"),
    ]
    statements = []

    def capture(execute, sql, params, many, context):
        statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        _same(querysets)
    (sql, params) = statements[-1]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert plan.count("Append") == 1, plan


def test_reads_without_rows_come_back_empty_as_django_gives_them(branch, teller):
    """A part with no rows skips Django's iterable (core.batch.Part.result): every kind of
    read of nothing is still list(queryset), next to a part with rows."""
    nothing = Visit.objects.filter(branch=branch, summary="无此记录")
    got = _same(
        [
            nothing.select_related("manager__user").prefetch_related("staff_met"),
            nothing.values("summary"),
            nothing.values_list("pk", flat=True),
            nothing.annotate(n=Count("staff_met")).values_list("pk", "n"),
            BranchStaff.objects.filter(branch=branch).values_list("name", flat=True),
        ]
    )
    assert got == [[], [], [], [], [teller.name]]


def test_counts_and_sums_of_different_parts_share_result_columns(branch):
    """Computed columns of one declared type share a result column, as table columns of one
    kind do: a statement's rows are as wide as its widest part, not the sum of every part's
    annotations; the values stay exactly list(queryset)."""
    from django.db import connection

    from core.batch import Part, statement

    VisitFactory.create_batch(2, branch=branch)
    DepositSnapshotFactory(branch=branch, personal=Decimal("3.50"))
    querysets = [
        Visit.objects.filter(branch=branch).values("branch_id").annotate(visits=Count("pk")),
        Visit.objects.filter(branch=branch).values("manager_id").annotate(by_manager=Count("pk")),
        DepositSnapshot.objects.values("branch_id").annotate(total=Sum("personal")),
        DepositSnapshot.objects.values("branch_id").annotate(again=Sum("personal")),
    ]
    _same(querysets)
    parts = [Part(index, queryset) for index, queryset in enumerate(querysets)]
    _sql, _params, placements = statement(connection, parts)
    counts, sums = {placements[0][1], placements[1][1]}, {placements[2][1], placements[3][1]}
    assert len(counts) == 1 and len(sums) == 1 and counts != sums
