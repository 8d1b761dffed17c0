"""The visit planner ranks my branches by how overdue a visit is, raised by what needs me there."""

import datetime

import pytest
from django.utils import timezone

from branches.models import Branch
from desk.planner import plan_visits
from documents import services as stock_services
from tests.branches.factories import BranchFactory, VisitFactory
from tests.documents.factories import stock_at
from tests.service.factories import CaseFactory
from tests.staff.factories import BranchStaffFactory

pytestmark = pytest.mark.django_db


def _branch(manager, name, tier, days_ago):
    branch = BranchFactory(manager=manager, name=name, tier=tier)
    if days_ago is not None:
        when = timezone.now() - datetime.timedelta(days=days_ago)
        Branch.objects.filter(pk=branch.pk).update(last_visit_at=when)
        VisitFactory(branch=branch, visited_at=when)
    return branch


def _out_of_stock(branch, user):
    stock = stock_at(branch, "poster", 5, user)
    stock_services.record_count(branch_stock=stock, counted=0, user=user)


def _birthday_in(branch, days, **flags):
    day = timezone.localdate() + datetime.timedelta(days=days)
    return BranchStaffFactory(branch=branch, birth_month=day.month, birth_day=day.day, **flags)


@pytest.fixture
def scenario(manager, other_manager):
    """name: tier, days since the last visit (None: never), and what else is going on."""
    today = timezone.localdate()
    user = manager.user
    _branch(manager, "甲", Branch.Tier.A, 10)
    yi = _branch(manager, "乙", Branch.Tier.C, 3)
    _out_of_stock(yi, user)
    VisitFactory(
        branch=yi,
        visited_at=timezone.now() - datetime.timedelta(days=3),
        next_visit_on=today,
    )
    _branch(manager, "丙", Branch.Tier.B, None)
    ding = _branch(manager, "丁", Branch.Tier.B, 7)
    CaseFactory(branch=ding, opened_at=timezone.now() - datetime.timedelta(days=3))
    wu = _branch(manager, "戊", Branch.Tier.C, 15)
    _birthday_in(wu, 2, is_key_teller=True)
    _birthday_in(wu, 3)  # not a key person: no reason of its own
    _branch(manager, "己", Branch.Tier.A, 0)
    _branch(other_manager, "别人的", Branch.Tier.A, None)


EXPECTED = [
    ("丙", ["never"]),
    ("丁", ["not_due", "case_overdue"]),
    ("甲", ["overdue"]),
    ("乙", ["not_due", "stock_out", "planned"]),
    ("戊", ["not_due", "birthday"]),
    ("己", ["not_due"]),
]


def test_it_ranks_my_branches_with_their_reasons(manager, scenario):
    plan = plan_visits(manager.user)
    assert [(row.branch.name, [r.code for r in row.reasons]) for row in plan.rows] == EXPECTED


def test_the_reasons_say_how_much(manager, scenario):
    rows = {row.branch.name: row for row in plan_visits(manager.user).rows}
    assert rows["甲"].reasons[0].text == "拜访已逾期 3 天（每 7 天一次）"
    assert rows["乙"].reasons[1].text == "1 项已断档"
    assert rows["丁"].reasons[1].text == "1 个逾期工单"
    assert rows["戊"].reasons[1].text.startswith("2 天后生日：")


def test_the_supervisor_plans_over_the_team(supervisor, scenario):
    names = [row.branch.name for row in plan_visits(supervisor).rows]
    assert sorted(names) == sorted(name for name, _reasons in EXPECTED)


def test_another_manager_sees_none_of_mine(other_manager, scenario):
    assert [row.branch.name for row in plan_visits(other_manager.user).rows] == ["别人的"]


@pytest.mark.parametrize("extra", [3, 30])
def test_it_runs_a_constant_number_of_queries(manager, django_assert_max_num_queries, extra):
    for index in range(extra):
        branch = _branch(manager, f"网点{index}", Branch.Tier.B, index)
        _out_of_stock(branch, manager.user)
        CaseFactory(branch=branch)
        _birthday_in(branch, 1, is_influencer=True)
    # Branches, birthdays, the stock check (its candidates, then the usage of the rows
    # whose stored usage is not today's), two reads of this month's results against plan
    # (sales) and the customers due a follow-up.
    with django_assert_max_num_queries(8):
        plan = plan_visits(manager.user)
    assert len(plan.rows) == extra


@pytest.mark.parametrize(("days_ago", "overdue"), [(7, False), (8, True)])
def test_the_sql_rule_agrees_with_the_planner_at_the_boundary(manager, days_ago, overdue):
    from branches.selectors import overdue_for_visit

    today = timezone.localdate()
    late_evening = timezone.make_aware(
        datetime.datetime.combine(today - datetime.timedelta(days=days_ago), datetime.time(23))
    )
    branch = BranchFactory(manager=manager, tier=Branch.Tier.A, last_visit_at=late_evening)
    [row] = plan_visits(manager.user, today=today).rows
    assert row.is_overdue is overdue
    assert Branch.objects.filter(overdue_for_visit(today), pk=branch.pk).exists() is overdue


def test_the_case_counts_are_the_open_and_overdue_cases_of_each_branch(manager):
    """The planner joins only the open cases: its counts are still the service's rule
    (Case.objects.open() / overdue()), resolved and closed cases left out."""
    from service.models import Case

    now = timezone.now()
    busy, quiet = BranchFactory(manager=manager), BranchFactory(manager=manager)
    BranchFactory(manager=manager)  # no case at all
    for status in Case.Status.values:
        CaseFactory(branch=busy, status=status, opened_at=now - datetime.timedelta(days=5))
        CaseFactory(branch=busy, status=status)
    CaseFactory(branch=quiet, status=Case.Status.RESOLVED, opened_at=now - datetime.timedelta(9))
    rows = plan_visits(manager.user).rows
    counts = {
        row.branch.pk: (row.branch.open_case_count, row.branch.overdue_case_count) for row in rows
    }
    expected = {
        row.branch.pk: (
            Case.objects.open().filter(branch=row.branch).count(),
            Case.objects.overdue(now).filter(branch=row.branch).count(),
        )
        for row in rows
    }
    assert counts == expected
    assert counts[busy.pk][0] == len(Case.OPEN_STATUSES) * 2
    assert counts[busy.pk][1] == len(Case.OPEN_STATUSES)
    assert counts[quiet.pk] == (0, 0)


def test_the_open_cases_index_covers_the_open_statuses():
    from service.models import Case

    [index] = [i for i in Case._meta.indexes if i.name == "case_open_by_branch"]
    assert sorted(index.condition.children[0][1]) == sorted(Case.OPEN_STATUSES)


def _stock_view(rows):
    return [
        (row.pk, row.assessment, row.item.label, row.branch.pk, str(row.branch.bank))
        + (row.branch.name, row.branch.manager.user.pk)
        for row in rows
    ]


def _birthday_view(rows):
    return [
        (row.staff.pk, row.date, row.days_away, row.staff.branch.pk, str(row.staff.branch.bank))
        for row in rows
    ]


@pytest.mark.parametrize("who", ["manager", "supervisor"])
def test_the_stock_and_birthdays_reuse_the_planners_branches_with_the_same_rows(
    request, who, scenario
):
    """The planner gives the stock check and the birthdays its branches instead of a
    joined copy per row: the same rows, branches, banks and managers as read alone."""
    from desk.planner import upcoming_birthdays
    from documents.selectors import attention_for_user

    user = request.getfixturevalue(who)
    user = getattr(user, "user", user)
    today = timezone.localdate()
    plan = plan_visits(user, today)
    assert plan.stock and plan.birthdays
    assert _stock_view(plan.stock) == _stock_view(attention_for_user(user, today=today))
    assert _birthday_view(plan.birthdays) == _birthday_view(upcoming_birthdays(user, today))
    rows = {row.branch.pk: row.branch for row in plan.rows}
    assert all(row.branch is rows[row.branch_id] for row in plan.stock)
    # A branch missing from the map is read (one query), not lost.
    assert _stock_view(attention_for_user(user, today=today, branches={})) == _stock_view(
        plan.stock
    )
    assert _birthday_view(upcoming_birthdays(user, today, branches={})) == _birthday_view(
        plan.birthdays
    )


def test_the_planners_branches_carry_what_select_related_reads(supervisor, scenario):
    """The planner builds each bank and manager once for all their branches: the same
    names, tier, last visit, bank and manager's user as a select_related read."""
    from core.names import full_name

    rows = plan_visits(supervisor).rows
    read = Branch.objects.select_related("bank", "manager__user").in_bulk(
        [row.branch.pk for row in rows]
    )

    def view(branch):
        return (
            branch.pk,
            branch.name,
            branch.get_tier_display(),
            branch.is_active,
            branch.last_visit_at,
            branch.manager_id,
            str(branch.bank),
            branch.bank.name,
            full_name(branch.manager.user),
        )

    assert [view(row.branch) for row in rows] == [view(read[row.branch.pk]) for row in rows]
    managers = {row.branch.manager_id: row.branch.manager for row in rows}
    assert all(row.branch.manager is managers[row.branch.manager_id] for row in rows)
