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
