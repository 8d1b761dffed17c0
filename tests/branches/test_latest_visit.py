"""branches.selectors.latest_planned_visit: the plan of a branch's latest visit (the newest,
the higher id among visits at the same moment), read from the visit_branch_latest index."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from branches.models import Branch
from branches.selectors import latest_planned_visit
from tests.branches.factories import VisitFactory

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
