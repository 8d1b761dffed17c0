"""Stock overview download: the state filter, my scope."""

import pytest
from django.urls import reverse

from tests.branches.factories import BranchFactory
from tests.documents.factories import stock_at
from tests.project.export_reading import column, read_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def stock(manager, other_manager):
    mine = BranchFactory(manager=manager, name="甲支行")
    stock_at(mine, "poster", 1, manager.user)  # low
    stock_at(mine, "brochure", 500, manager.user)  # ok
    stock_at(BranchFactory(manager=other_manager, name="别人的支行"), "poster", 1, manager.user)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_it_lists_my_stock(manager_client, stock, fmt):
    rows = read_rows(manager_client.get(reverse(f"documents:export_{fmt}")))
    assert set(column(rows, "网点")) == {"甲支行"}
    assert len(rows) == 3
    assert rows[0][:5] == ["银行", "网点", "客户经理", "品种", "库存"]


def test_it_honours_the_state_filter(manager_client, stock):
    rows = read_rows(manager_client.get(reverse("documents:export_csv"), {"state": "low"}))
    assert len(rows) == 2
    assert column(rows, "状态") == ["偏低"]


def test_the_supervisor_sees_the_team(supervisor_client, stock):
    rows = read_rows(supervisor_client.get(reverse("documents:export_csv")))
    assert set(column(rows, "网点")) == {"甲支行"}


def test_an_unknown_format_is_404(manager_client):
    assert manager_client.get("/documents/export.doc").status_code == 404


def test_another_manager_sees_only_their_own(other_client, stock):
    rows = read_rows(other_client.get(reverse("documents:export_csv")))
    assert set(column(rows, "网点")) == {"别人的支行"}


def test_a_bad_state_exports_everything_like_the_page(manager_client, stock):
    rows = read_rows(manager_client.get(reverse("documents:export_csv"), {"state": "nonsense"}))
    assert len(rows) == 3
