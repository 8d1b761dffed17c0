"""Case downloads: the page's tab, my scope, customer phones masked except for supervisors."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.branches.factories import BranchFactory
from tests.project.export_reading import column, read_rows
from tests.service.factories import CaseFactory

pytestmark = pytest.mark.django_db
URL = reverse("service:export_csv")


@pytest.fixture
def cases(manager, other_manager):
    branch = BranchFactory(manager=manager)
    CaseFactory(branch=branch, customer_name="准时", customer_mobile="13812345678")
    CaseFactory(
        branch=branch,
        customer_name="逾期",
        customer_mobile="13900001111",
        opened_at=timezone.now() - datetime.timedelta(days=5),
    )
    CaseFactory(branch=BranchFactory(manager=other_manager), customer_name="别人的")
    return branch


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_it_lists_my_open_cases_with_masked_phones(manager_client, cases, fmt):
    rows = read_rows(manager_client.get(reverse(f"service:export_{fmt}")))
    assert sorted(column(rows, "客户")) == ["准时", "逾期"]
    assert sorted(column(rows, "客户手机")) == ["138****5678", "139****1111"]


def test_the_overdue_tab_exports_only_overdue(manager_client, cases):
    rows = read_rows(manager_client.get(URL, {"tab": "overdue"}))
    assert column(rows, "客户") == ["逾期"]


def test_the_branch_tab_checks_the_branch(client, manager, other_manager, cases):
    client.force_login(manager.user)
    assert len(read_rows(client.get(URL, {"tab": "branch", "branch": cases.pk}))) == 3
    client.force_login(other_manager.user)
    assert client.get(URL, {"tab": "branch", "branch": cases.pk}).status_code == 404
    assert client.get(URL, {"tab": "branch", "branch": "abc"}).status_code == 404


def test_a_bad_tab_is_404(manager_client, cases):
    assert manager_client.get(URL, {"tab": "everything"}).status_code == 404


def test_a_supervisor_gets_the_team_with_masked_phones_too(supervisor_client, cases):
    # An export leaves the system: every role's copy masks the numbers (the case's own page
    # shows the full number to whoever may call back).
    rows = read_rows(supervisor_client.get(URL))
    assert sorted(column(rows, "客户手机")) == ["138****5678", "139****1111"]


def test_another_manager_sees_only_their_own(other_client, cases):
    assert column(read_rows(other_client.get(URL)), "客户") == ["别人的"]


@pytest.mark.parametrize("size", [3, 30])
def test_it_runs_a_constant_number_of_queries(
    manager_client, manager, django_assert_max_num_queries, size
):
    branch = BranchFactory(manager=manager)
    for _index in range(size):
        CaseFactory(branch=branch)
    with django_assert_max_num_queries(2):
        rows = read_rows(manager_client.get(reverse("service:export_xlsx")))
    assert len(rows) == size + 1
