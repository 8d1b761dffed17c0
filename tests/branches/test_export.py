"""Branch list and visit log downloads: the page's filters, my scope, masked phones."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from branches.models import Branch
from tests.branches.factories import BranchFactory, VisitFactory
from tests.project.export_reading import column, read_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def branches(manager, other_manager):
    mine_a = BranchFactory(manager=manager, name="甲支行", tier=Branch.Tier.A, phone="13812345678")
    mine_c = BranchFactory(manager=manager, name="丙支行", tier=Branch.Tier.C, phone="13900001111")
    theirs = BranchFactory(manager=other_manager, name="别人的支行", phone="13700002222")
    VisitFactory(branch=mine_a, summary="谈了竞赛方案")
    VisitFactory(
        branch=mine_c, summary="旧的拜访", visited_at=timezone.now() - datetime.timedelta(days=40)
    )
    VisitFactory(branch=theirs, summary="别人的拜访")
    return mine_a, mine_c, theirs


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_branch_export_has_my_branches_with_masked_phones(manager_client, branches, fmt):
    rows = read_rows(manager_client.get(reverse(f"branches:export_{fmt}")))
    assert rows[0][:4] == ["银行", "网点代码", "网点", "等级"]
    assert sorted(column(rows, "网点")) == ["丙支行", "甲支行"]
    assert sorted(column(rows, "电话")) == ["138****5678", "139****1111"]


def test_the_branch_export_honours_the_list_filters(manager_client, branches):
    url = reverse("branches:export_csv")
    rows = read_rows(manager_client.get(url, {"tier": "A"}))
    assert column(rows, "网点") == ["甲支行"]


def test_a_supervisor_gets_the_team_with_masked_phones_too(supervisor_client, branches):
    rows = read_rows(supervisor_client.get(reverse("branches:export_xlsx")))
    assert sorted(column(rows, "电话")) == ["138****5678", "139****1111"]


def test_the_visit_export_has_my_visits_in_the_date_range(manager_client, branches):
    url = reverse("branches:visit_export_csv")
    rows = read_rows(manager_client.get(url))
    assert sorted(column(rows, "拜访小结")) == ["旧的拜访", "谈了竞赛方案"]
    since = (timezone.localdate() - datetime.timedelta(days=7)).isoformat()
    rows = read_rows(manager_client.get(url, {"since": since}))
    assert column(rows, "拜访小结") == ["谈了竞赛方案"]
    rows = read_rows(manager_client.get(url, {"tier": "C"}))
    assert column(rows, "拜访小结") == ["旧的拜访"]


def test_an_unknown_format_is_404(manager_client, branches):
    assert manager_client.get("/branches/export.pdf").status_code == 404


def test_another_managers_export_has_none_of_mine(other_client, branches):
    rows = read_rows(other_client.get(reverse("branches:visit_export_xlsx")))
    assert column(rows, "拜访小结") == ["别人的拜访"]


def test_a_formula_stays_text(manager_client, manager):
    BranchFactory(manager=manager, name="=HYPERLINK(1)")
    rows = read_rows(manager_client.get(reverse("branches:export_csv")))
    assert column(rows, "网点") == ["'=HYPERLINK(1)"]


@pytest.mark.parametrize("size", [3, 30])
def test_the_visit_export_runs_a_constant_number_of_queries(
    manager_client, manager, django_assert_max_num_queries, size
):
    for _index in range(size):
        VisitFactory(branch=BranchFactory(manager=manager))
    with django_assert_max_num_queries(4):
        rows = read_rows(manager_client.get(reverse("branches:visit_export_csv")))
    assert len(rows) == size + 1


def test_bad_dates_are_ignored_like_an_empty_filter(manager_client, branches):
    url = reverse("branches:visit_export_csv")
    rows = read_rows(manager_client.get(url, {"since": "yesterday", "until": "2026-13-40"}))
    assert len(rows) == 3
