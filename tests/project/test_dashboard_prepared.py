"""The dashboards' prepared reads (core.prepared) choose a team by its supervisor or unit in
SQL instead of by a list of ids read first: the rows must be exactly those of the old reads."""

import datetime
from decimal import Decimal

import pytest
from django.db.models import Q
from django.utils import timezone

from accounts.models import AccountManager, OrgUnit
from branches.models import Bank, Branch
from tests.branches.factories import (
    AbnormalEventFactory,
    BranchFactory,
    PlanTargetFactory,
    VisitFactory,
)
from tests.documents.factories import stock_at
from tests.grading.factories import AccountManagerFactory
from tests.sales.factories import PolicyFactory
from tests.service.factories import CaseFactory

pytestmark = pytest.mark.django_db


def _work(member, *, branches=2):
    """Visits, sales, targets, open cases and an outage on each of ``branches`` branches
    (the last one closed: inactive branches count for sales, not for "overdue")."""

    from documents.services import record_count

    today = timezone.localdate()
    for index in range(branches):
        branch = BranchFactory(manager=member, is_active=index < branches - 1)
        VisitFactory(branch=branch)
        VisitFactory(branch=branch, visited_at=timezone.now() - datetime.timedelta(days=40))
        PolicyFactory(branch=branch, signed_on=today, premium=Decimal("1000"))
        PolicyFactory(
            branch=branch, signed_on=today - datetime.timedelta(days=100), premium=Decimal("700")
        )
        PlanTargetFactory(branch=branch)
        AbnormalEventFactory(
            branch=branch, respond_by=timezone.now() - datetime.timedelta(hours=index + 1)
        )
        CaseFactory(branch=branch, opened_at=timezone.now() - datetime.timedelta(days=5))
        record_count(
            branch_stock=stock_at(branch, "poster", 3, member.user), counted=0, user=member.user
        )


def _old_reads(user, managers, today, now):
    """The reads as the dashboard made them before: by the list of the team's ids."""
    from desk import dashboard
    from duties.selectors import weekly_completion_query
    from grading.models import Level
    from sales.selectors import (
        MONTH,
        branch_and_manager_progress_queries,
        month_windows,
        window,
    )

    ids = [manager.pk for manager in managers]
    month = window(MONTH, today)
    sales, monthly, this_month, targets, target_sums = branch_and_manager_progress_queries(
        Q(branch__manager_id__in=ids),
        [month, *month_windows(today)],
        branch_windows=[month],
    )
    return {
        "managers": managers,
        "weekly": dashboard.weekly_visits_query(ids, today),
        "branches": dashboard.branch_facts_query(ids, names=True),
        "banks": Bank.objects.all(),
        "sales": sales,
        "monthly": monthly,
        "this_month": this_month,
        "targets": targets,
        "target_sums": target_sums,
        "completion": weekly_completion_query(ids, dashboard.week_start(today)),
        "overdue": dashboard._overdue_branch_counts(ids, today),
        "cases": dashboard._case_counts(ids, now),
        "outages": dashboard._outage_counts(ids, today),
        "levels": Level.objects.order_by("rank"),
    }


def _same(new, old):
    assert list(new) == list(old)
    for name in old:
        expected = list(old[name])
        got = list(new[name])
        if name in ("managers", "levels", "branches"):  # ordered reads
            assert got == expected, name
        else:
            assert sorted(map(repr, got)) == sorted(map(repr, expected)), name
        # this_month: the managers' figures of today's month are their branches' rows added
        # up (sales.selectors._this_month_in), so that read is empty by design.
        assert expected or name in ("completion", "this_month"), f"{name}: should read rows"
        if name == "this_month":
            assert not expected and old[name].query.is_empty()


@pytest.mark.parametrize("who", ["supervisor", "superuser"])
def test_the_team_dashboards_prepared_read_gives_the_old_reads_rows(
    who, supervisor, manager, other_manager, superuser
):
    from branches.selectors import overdue_events_for_user
    from desk import dashboard
    from desk.dashboard import read_scoped, read_team, team_for
    from documents.selectors import flagged_handover_count_query
    from grading.selectors import awaiting_review_count_query

    gone = AccountManagerFactory(supervisor=supervisor)
    for member in (manager, other_manager, gone):
        _work(member)
    AccountManager.objects.filter(pk=gone.pk).update(is_active=False)
    user = {"supervisor": supervisor, "superuser": superuser}[who]
    today, now = timezone.localdate(), timezone.now()
    managers = list(team_for(user))
    assert gone not in managers and (other_manager in managers) == (who == "superuser")

    # Tiers' intervals: one branch just visited, one visited 40 days ago, one never.
    branches = Branch.objects.filter(manager=manager, is_active=True)
    BranchFactory(manager=manager, tier=Branch.Tier.A)
    Branch.objects.filter(pk=branches[0].pk).update(last_visit_at=now)
    BranchFactory(manager=manager, tier=Branch.Tier.C, last_visit_at=now - datetime.timedelta(40))
    new = read_team(user, today, now)
    _same(new, _old_reads(user, managers, today, now))
    events, flagged, awaiting = read_scoped(user, now, today)
    assert events == list(overdue_events_for_user(user, now, limit=dashboard.EVENT_ROWS))
    # Two branches each: the team's (the inactive one's included), or everyone's.
    assert len(events) == {"supervisor": 4, "superuser": 6}[who]
    assert flagged == list(flagged_handover_count_query(user, now))
    assert awaiting == list(awaiting_review_count_query(user, today))

    # "Overdue for a visit" is now counted in SQL: what the page counted in Python before.
    from branches.selectors import is_overdue_for_visit
    from desk.dashboard import branch_facts

    in_python = {}
    for facts in branch_facts([m.pk for m in managers]):
        if facts.is_active and is_overdue_for_visit(facts, today):
            in_python[facts.manager_id] = in_python.get(facts.manager_id, 0) + 1
    assert {row["manager_id"]: row["total"] for row in new["overdue"] if row["total"]} == (
        in_python
    )
    assert in_python


@pytest.mark.parametrize("level", ["province", "city"])
def test_a_units_prepared_read_gives_the_old_reads_rows(level, org, manager, other_manager):
    """The unit's teams are chosen in SQL by the unit's path (``desk.units.read_unit``), not
    by the list ``tree_of`` read first; work still counts for the team of its day."""
    from accounts import services as accounts
    from desk.services import refresh_team_figures
    from desk.units import dashboard_queries, read_unit, tree_of

    today, now = timezone.localdate(), timezone.now()
    monday = today - datetime.timedelta(days=today.weekday())
    for member in (manager, other_manager):
        _work(member)
    # A manager who moved from the other city's team into ``org.team`` on Monday: their
    # visits before count for the other team, after for this one.
    mover = AccountManagerFactory()
    accounts.move_manager(
        manager=mover, team=org.other_team, on=monday - datetime.timedelta(days=30)
    )
    accounts.move_manager(manager=mover, team=org.team, on=monday)
    _work(mover)
    VisitFactory(
        branch=mover.branches.first(),
        manager=mover,
        visited_at=timezone.now() - datetime.timedelta(days=today.weekday() + 3),
    )
    # A team of a third city nobody heads, and a manager without a team.
    lone_city = accounts.save_unit(
        unit=OrgUnit(kind=OrgUnit.Kind.CITY, name="丙市中支", parent=org.province)
    )
    accounts.save_unit(unit=OrgUnit(kind=OrgUnit.Kind.TEAM, name="丙市一组", parent=lone_city))
    _work(AccountManagerFactory())
    unit = {"province": org.province, "city": org.city}[level]

    refresh_team_figures(today=today, now=now)
    tree = tree_of(unit)
    old = dashboard_queries(tree, today)
    new_tree, new = read_unit(unit, today)

    assert new_tree.row_of_team == tree.row_of_team
    assert [child.pk for child in new_tree.children] == [child.pk for child in tree.children]
    for name, query in old.items():
        expected = sorted(map(repr, query))
        assert sorted(map(repr, new[name])) == expected, name
        assert expected or name == "completion", f"{name}: the test should read rows"
