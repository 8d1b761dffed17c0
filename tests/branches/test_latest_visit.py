"""A branch's latest visit (the newest, the higher id among visits at the same moment):
branches.selectors.latest_planned_visit reads its plan from the visit_branch_latest index,
and Branch.last_visit_at and planned_visit_on keep it, in step with every save and delete
of a visit (branches.signals, branches.services.note_new_visit and refresh_latest_visit)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from branches import services
from branches.models import Branch, Visit
from branches.selectors import latest_planned_visit
from desk.planner import _branches, branch_rows_query
from tests.branches.factories import BranchFactory, VisitFactory

pytestmark = pytest.mark.django_db


def _with_next_visit():
    return Branch.objects.annotate(next_visit=latest_planned_visit()).order_by("pk")


def test_the_latest_visits_plan_wins_and_the_higher_id_breaks_a_tie(branch):
    moment = timezone.now() - datetime.timedelta(days=1)
    day = timezone.localdate()
    VisitFactory(branch=branch, visited_at=moment - datetime.timedelta(days=5), next_visit_on=day)
    VisitFactory(branch=branch, visited_at=moment, next_visit_on=day + datetime.timedelta(days=3))
    VisitFactory(branch=branch, visited_at=moment, next_visit_on=day + datetime.timedelta(days=9))
    assert _with_next_visit().get(pk=branch.pk).next_visit == day + datetime.timedelta(days=9)


def test_postgresql_reads_each_branchs_latest_visit_from_the_index_without_sorting(branch):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's plan (DATABASE_URL=postgres://...); .ci/run sets it")
    VisitFactory.create_batch(3, branch=branch)
    sql, params = _with_next_visit().query.sql_with_params()
    with connection.cursor() as cursor:
        # A test's few rows: the planner would read the whole table rather than any index.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "visit_branch_latest" in plan, plan
    assert "Sort" not in plan, plan


DAY = datetime.timedelta(days=1)


def _kept(branch):
    """The branch's stored latest visit: (last_visit_at, planned_visit_on)."""
    return Branch.objects.values_list("last_visit_at", "planned_visit_on").get(pk=branch.pk)


def test_logging_a_visit_stores_its_time_and_plan_on_the_branch(manager, branch):
    planned = timezone.localdate() + 5 * DAY
    visit = services.log_visit(
        branch=branch, manager=manager, purposes=["relationship"], next_visit_on=planned
    )
    assert _kept(branch) == (visit.visited_at, planned)


def test_a_late_logged_older_visit_leaves_the_newer_one_in_place(manager, branch):
    now = timezone.now()
    newer = VisitFactory(branch=branch, visited_at=now - DAY, next_visit_on=timezone.localdate())
    services.log_visit(
        branch=branch,
        manager=manager,
        purposes=["relationship"],
        visited_at=now - 3 * DAY,
        next_visit_on=timezone.localdate() + 9 * DAY,
    )
    assert _kept(branch) == (newer.visited_at, timezone.localdate())


def test_a_new_visit_at_the_same_moment_wins_as_the_higher_id_does(branch):
    moment = timezone.now() - DAY
    day = timezone.localdate()
    VisitFactory(branch=branch, visited_at=moment, next_visit_on=day + 3 * DAY)
    VisitFactory(branch=branch, visited_at=moment, next_visit_on=day + 9 * DAY)
    assert _kept(branch) == (moment, day + 9 * DAY)
    assert _with_next_visit().get(pk=branch.pk).next_visit == day + 9 * DAY


def test_correcting_the_latest_visits_plan_moves_the_branchs_plan(manager, branch):
    day = timezone.localdate()
    older = VisitFactory(branch=branch, visited_at=timezone.now() - 2 * DAY, next_visit_on=day)
    latest = VisitFactory(branch=branch, next_visit_on=day + 2 * DAY)
    services.correct_visit(
        visit=latest,
        user=manager.user,
        purposes=["relationship"],
        next_visit_on=day + 7 * DAY,
    )
    assert _kept(branch) == (latest.visited_at, day + 7 * DAY)
    # An older visit's plan was superseded by the latest visit: correcting it changes nothing.
    Visit.objects.filter(pk=older.pk).update(created_at=timezone.now())
    services.correct_visit(
        visit=older, user=manager.user, purposes=["relationship"], next_visit_on=day + DAY
    )
    assert _kept(branch) == (latest.visited_at, day + 7 * DAY)


def test_a_correction_saving_other_fields_only_leaves_the_branch_unread(
    branch, django_assert_num_queries
):
    visit = VisitFactory(branch=branch)
    visit.summary = "改过的纪要"
    with django_assert_num_queries(1):  # the visit's UPDATE alone
        visit.save(update_fields=["summary"])


def test_deleting_the_latest_visit_takes_the_branch_back_to_the_one_before(branch):
    day = timezone.localdate()
    before = VisitFactory(branch=branch, visited_at=timezone.now() - 4 * DAY, next_visit_on=day)
    latest = VisitFactory(branch=branch, next_visit_on=day + 3 * DAY)
    latest.delete()
    assert _kept(branch) == (before.visited_at, day)
    before.delete()
    assert _kept(branch) == (None, None)


def test_a_branch_deleted_with_its_visits_is_not_read_again_per_visit(manager, branch):
    VisitFactory.create_batch(3, branch=branch)
    with CaptureQueriesContext(connection) as deleting:
        branch.delete()
    branch_table = Branch._meta.db_table
    assert not [
        q["sql"] for q in deleting.captured_queries if f'UPDATE "{branch_table}"' in q["sql"]
    ]
    assert not Visit.objects.exists()


def test_moving_a_visit_to_another_branch_reads_both_branches_again(manager, branch):
    other = BranchFactory(manager=manager)
    day = timezone.localdate()
    stays = VisitFactory(branch=branch, visited_at=timezone.now() - 6 * DAY, next_visit_on=day)
    moved = VisitFactory(branch=branch, next_visit_on=day + 4 * DAY)
    # As the admin's change form saves it: every field.
    moved.branch = other
    moved.save()
    assert _kept(branch) == (stays.visited_at, day)
    assert _kept(other) == (moved.visited_at, day + 4 * DAY)


def test_the_migration_fills_the_plan_of_every_branchs_latest_visit(branch):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("branches.migrations.0020_branch_planned_visit_on")
    VisitFactory(branch=branch, visited_at=timezone.now() - DAY, next_visit_on=timezone.localdate())
    unvisited = BranchFactory(manager=branch.manager)
    Branch.objects.update(planned_visit_on=timezone.localdate() - 30 * DAY)

    class Editor:
        connection = connection

    migration.fill_planned_visits(apps, Editor())
    assert _kept(branch)[1] == timezone.localdate()
    assert _kept(unvisited)[1] is None


def test_the_planners_branch_read_does_not_read_the_visits(manager):
    sql, _params = branch_rows_query(
        _branches(manager.user, timezone.localdate())
    ).query.sql_with_params()
    assert Visit._meta.db_table not in sql, sql
