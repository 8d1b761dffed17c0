"""The account manager's move from grading to accounts keeps every row (issue 13).

A database at the layout before the move, loaded with the demo, is taken to the new layout;
every table keeps its rows, every manager keeps their level, their branches and their login,
and the permissions granted on the model follow it to its new app.
"""

from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from accounts.models import AccountManager
from branches.models import Branch
from grading.models import CurrentLevel

BEFORE_THE_MOVE = [("grading", "0007_filter_indexes")]


def _row_counts():
    with connection.cursor() as cursor:
        counts = {}
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
    return counts


def _migrate(targets):
    """Migrate to ``targets``; return the models as the migrated database has them."""
    MigrationExecutor(connection).migrate(targets)
    applied = MigrationExecutor(connection)
    return applied._create_project_state(with_applied_migrations=True).apps


# 55 s of CPU: `make test-migrations` and .ci/run (SQLite and PostgreSQL) run it, not make test.
@pytest.mark.migration_round_trip
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_move_to_accounts_keeps_every_row():
    call_command("seed_demo", stdout=StringIO())
    old_apps = _migrate(BEFORE_THE_MOVE)

    # Today's schema: the manager is grading's, with its level on the row.
    OldManager = old_apps.get_model("grading", "AccountManager")
    managers = {
        row["pk"]: row
        for row in OldManager.objects.values(
            "pk", "employee_number", "user_id", "supervisor_id", "level_id", "mobile"
        )
    }
    assert len(managers) >= 4
    assert "grading_currentlevel" not in connection.introspection.table_names()
    branch_owners = dict(
        old_apps.get_model("branches", "Branch").objects.values_list("pk", "manager_id")
    )
    counts_before = _row_counts()
    ContentType.objects.clear_cache()

    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    _migrate(leaves)

    counts_after = _row_counts()
    counts_before.pop("django_migrations")
    # accounts.0003 (issue 17) grants the supervisors the organisation tree's four permissions.
    counts_before["auth_group_permissions"] += 4
    # duties.0006 (issue 18) takes the typed attendance grants from both roles (four) and lets
    # them read attendance corrections (two): attendance comes from check-ins now.
    counts_before["auth_group_permissions"] -= 2
    # branches.0011 (issue 21) grants the supervisors add_branch.
    counts_before["auth_group_permissions"] += 1
    # branches.0010 (issue 20) lets the supervisors answer abnormal events and edit the
    # response times, and both roles read the events' history and response times (six);
    # documents.0005 lets the supervisors confirm handovers and both roles read the review
    # rounds (three).
    counts_before["auth_group_permissions"] += 6 + 3
    # sales depends on accounts, so the trip back unapplied it (its roles' grants revoked) and
    # the way forward granted them again: compare the grants of the apps that stayed.
    from django.contrib.auth.models import Group

    counts_after["auth_group_permissions"] -= Group.permissions.through.objects.filter(
        permission__content_type__app_label="sales"
    ).count()
    assert {t: n for t, n in counts_after.items() if t in counts_before} == counts_before
    assert counts_after["grading_currentlevel"] == len(managers)
    after = {
        manager.pk: {
            "pk": manager.pk,
            "employee_number": manager.employee_number,
            "user_id": manager.user_id,
            "supervisor_id": manager.supervisor_id,
            "level_id": manager.current_level.level_id,
            "mobile": manager.mobile,
        }
        for manager in AccountManager.objects.select_related("current_level")
    }
    assert after == managers
    # One team per supervisor, headed by them, every supervised manager a member of it.
    for manager in AccountManager.objects.exclude(supervisor=None).select_related("team"):
        assert manager.team.head_id == manager.supervisor_id
        assert manager.team.kind == "team"
        (membership,) = manager.memberships.all()
        assert (membership.team_id, membership.started, membership.ended) == (
            manager.team_id,
            manager.hire_date,
            None,
        )
    assert dict(Branch.objects.values_list("pk", "manager_id")) == branch_owners
    assert CurrentLevel.objects.count() == len(managers)
    ContentType.objects.clear_cache()
    content_type = ContentType.objects.get_for_model(AccountManager)
    assert content_type.app_label == "accounts"
    assert not ContentType.objects.filter(app_label="grading", model="accountmanager").exists()
    # The supervisors' right to edit managers, granted on the model in grading, followed it.
    assert content_type.permission_set.filter(
        codename="change_accountmanager", group__name__startswith="主管"
    ).exists()
