"""Scoping stays on the indexed owner column for a manager without a team (bench/RESULTS.md)."""

import pytest

from branches.models import Branch
from tests.branches.factories import BranchFactory
from tests.grading.factories import AccountManagerFactory

pytestmark = pytest.mark.django_db


def test_a_managers_scope_needs_no_join_to_the_supervisor(manager):
    sql = str(Branch.objects.for_user(manager.user).query)
    assert "supervisor_id" not in sql
    assert "grading_accountmanager" not in sql


def test_a_manager_who_also_leads_a_team_sees_own_and_team_branches(manager, other_manager):
    lead = AccountManagerFactory()
    manager.supervisor = lead.user
    manager.save()
    own = BranchFactory(manager=lead)
    teams = BranchFactory(manager=manager)
    BranchFactory(manager=other_manager)
    assert set(Branch.objects.for_user(lead.user)) == {own, teams}


def test_profile_and_supervisor_flag_come_from_one_query(
    manager, supervisor, django_assert_num_queries
):
    from accounts.access import is_supervisor, manager_profile

    with django_assert_num_queries(1):
        assert manager_profile(manager.user) == manager
        assert not is_supervisor(manager.user)
    with django_assert_num_queries(1):
        assert is_supervisor(supervisor)
        assert manager_profile(supervisor) is None
