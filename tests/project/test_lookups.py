"""core.lookups.AnyOf: the rows of ``__in`` with a subquery, as ``= ANY(ARRAY(...))`` on
PostgreSQL so the column's index finds them; and the planner settings the connections get."""

import pytest
from django.db import connection

from accounts.models import AccountManager
from branches.models import Branch
from tests.branches.factories import BranchFactory

pytestmark = pytest.mark.django_db


def test_any_of_selects_the_rows_in_would(supervisor, other_supervisor):
    team = [BranchFactory(manager__supervisor=supervisor) for _ in range(3)]
    BranchFactory(manager__supervisor=other_supervisor)
    managers = AccountManager.objects.filter(supervisor=supervisor).values("pk")
    found = Branch.objects.filter(manager_id__any_of=managers)
    assert sorted(found.values_list("pk", flat=True)) == sorted(b.pk for b in team)
    assert set(found) == set(Branch.objects.filter(manager_id__in=managers))


def test_a_supervisors_scope_reads_the_team_as_a_list_of_ids(supervisor):
    sql = str(Branch.objects.for_user(supervisor).query)
    if connection.vendor == "postgresql":
        assert '"manager_id" = ANY(ARRAY(SELECT' in sql
    else:
        assert '"manager_id" IN (SELECT' in sql
    # No join to the managers' table in the outer query: the owner column's index is used.
    assert 'JOIN "grading_accountmanager"' not in sql


def test_postgresql_connections_plan_for_data_in_memory():
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL setting (DATABASE_URL=postgres://...); .ci/run sets it")
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone() == ("1.1",)
