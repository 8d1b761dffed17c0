"""达成率 arithmetic as a table, and where it shows: branch page, home, dashboard."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db.models import Q
from django.urls import reverse

from sales import selectors
from sales.models import Policy
from sales.selectors import ZERO
from tests.branches.factories import BranchFactory, PlanTargetFactory
from tests.sales.factories import PolicyFactory
from tests.staff.factories import BranchStaffFactory

TODAY = datetime.date(2026, 11, 15)  # mid-November, mid-Q4


def target(branch, start, end, premium, count=0):
    return PlanTargetFactory(
        branch=branch,
        period_start=start,
        period_end=end,
        premium_target=Decimal(premium),
        policy_count_target=count,
    )


def sale(branch, day, premium, status=Policy.Status.IN_FORCE, **extra):
    return PolicyFactory(
        branch=branch, signed_on=day, premium=Decimal(premium), status=status, **extra
    )


NOV = (datetime.date(2026, 11, 1), datetime.date(2026, 11, 30))
Q4 = (datetime.date(2026, 10, 1), datetime.date(2026, 12, 31))


@pytest.mark.parametrize(
    ("targets", "sales", "kind", "premium", "premium_target", "rate", "count", "count_rate"),
    [
        # Zero target: the rate is "no target" (None), never a division by zero.
        ([(NOV, "0", 0)], [("2026-11-03", "5000")], "month", "5000", "0", None, 1, None),
        # No target row at all: the same.
        ([], [("2026-11-03", "5000")], "month", "5000", "0", None, 1, None),
        # No sales against a target: 0%.
        ([(NOV, "100000", 10)], [], "month", "0", "100000", "0.0", 0, "0.0"),
        # Mid-period: month to date against the whole month's target.
        (
            [(NOV, "100000", 10)],
            [("2026-11-03", "30000"), ("2026-11-14", "15000")],
            "month",
            "45000",
            "100000",
            "45.0",
            2,
            "20.0",
        ),
        # A quarterly target counts a third-ish per month: November's share is 30/92 days.
        (
            [(Q4, "920000", 92)],
            [("2026-11-03", "30000")],
            "month",
            "30000",
            "300000",
            "10.0",
            1,
            "3.3",
        ),
        # The quarter takes the whole quarterly target; October's sale counts.
        (
            [(Q4, "920000", 92)],
            [("2026-10-10", "92000"), ("2026-11-03", "0")],
            "quarter",
            "92000",
            "920000",
            "10.0",
            2,
            "2.2",
        ),
        # 撤单 is never a sale; a later 退保 does not undo the sale of its month.
        (
            [(NOV, "100000", 10)],
            [("2026-11-03", "40000", "cancelled"), ("2026-11-04", "10000", "surrendered")],
            "month",
            "10000",
            "100000",
            "10.0",
            1,
            "10.0",
        ),
        # A sale after today (a feed with a future date) does not count yet.
        ([(NOV, "100000", 10)], [("2026-11-20", "50000")], "month", "0", "100000", "0.0", 0, "0.0"),
        # Over target: above 100%.
        (
            [(NOV, "10000", 1)],
            [("2026-11-03", "25000")],
            "month",
            "25000",
            "10000",
            "250.0",
            1,
            "100.0",
        ),
    ],
)
def test_achievement_table(
    manager, targets, sales, kind, premium, premium_target, rate, count, count_rate
):
    branch = BranchFactory(manager=manager)
    for (start, end), amount, policies in targets:
        target(branch, start, end, amount, policies)
    for day, amount, *status in sales:
        sale(branch, datetime.date.fromisoformat(day), amount, *status)
    w = selectors.window(kind, TODAY)

    progress = selectors.branch_progress([branch.pk], [w])[(branch.pk, kind)]

    assert progress.premium == Decimal(premium)
    assert progress.premium_target == Decimal(premium_target)
    assert progress.premium_rate == (None if rate is None else Decimal(rate))
    assert progress.policies == count
    assert progress.policy_rate == (None if count_rate is None else Decimal(count_rate))


def test_windows_and_time_gone():
    assert selectors.window("month", TODAY).elapsed_percent == 50  # 15 of 30 days
    quarter = selectors.window("quarter", TODAY)
    assert (quarter.start, quarter.end) == Q4
    year = selectors.window("year", TODAY)
    assert (year.start, year.end, year.elapsed_percent) == (
        datetime.date(2026, 1, 1),
        TODAY,
        100,
    )


def test_year_to_date_prorates_the_target_up_to_today(manager):
    branch = BranchFactory(manager=manager)
    target(branch, *NOV, "300000")
    w = selectors.window("year", TODAY)
    progress = selectors.branch_progress([branch.pk], [w])[(branch.pk, "year")]
    assert progress.premium_target == Decimal("150000.00")  # 15 of November's 30 days


def test_manager_and_team_sum_their_branches(manager, other_manager, supervisor):
    first, second = BranchFactory(manager=manager), BranchFactory(manager=manager)
    target(first, *NOV, "100000")
    target(second, *NOV, "100000")
    sale(first, datetime.date(2026, 11, 2), "50000")
    sale(second, datetime.date(2026, 11, 2), "30000")
    w = selectors.window("month", TODAY)

    by_manager = selectors.manager_progress([manager.pk, other_manager.pk], [w])

    assert by_manager[(manager.pk, "month")].premium == Decimal("80000")
    assert by_manager[(manager.pk, "month")].premium_rate == Decimal("40.0")
    assert by_manager[(other_manager.pk, "month")].premium_rate is None
    assert selectors.team_progress([manager.pk], w).gap == Decimal("120000")


def test_rank_in_team(manager, supervisor):
    from tests.grading.factories import AccountManagerFactory

    peer = AccountManagerFactory(supervisor=supervisor)
    mine, theirs = BranchFactory(manager=manager), BranchFactory(manager=peer)
    target(mine, *NOV, "100000")
    target(theirs, *NOV, "100000")
    sale(mine, datetime.date(2026, 11, 2), "20000")
    sale(theirs, datetime.date(2026, 11, 2), "60000")

    month = selectors.manager_month(manager, TODAY)

    assert (month["rank"], month["team_size"]) == (2, 2)
    assert selectors.manager_month(peer, TODAY)["rank"] == 1


@pytest.fixture
def busy_branch(manager):
    branch = BranchFactory(manager=manager, name="南京东路支行")
    today = datetime.date.today()
    first = today.replace(day=1)
    target(
        branch,
        first,
        (first + datetime.timedelta(days=40)).replace(day=1) - datetime.timedelta(days=1),
        "100000",
        10,
    )
    teller = BranchStaffFactory(branch=branch, name="李娜")
    sale(branch, first, "40000", credited_staff=teller)
    sale(branch, first, "9000", status=Policy.Status.CANCELLED, status_changed_on=today)
    PolicyFactory(
        branch=branch,
        number="PCOOL0001",
        signed_on=first,
        premium=Decimal("1000"),
        cooling_off_ends_on=today + datetime.timedelta(days=5),
    )
    return branch


def test_the_branch_page_shows_progress_sellers_cancellations_and_cooling_off(
    manager_client, busy_branch
):
    page = manager_client.get(reverse("branches:detail", args=[busy_branch.pk])).text

    assert 'id="branch-sales"' in page
    assert "41.0%" in page  # 41,000 of 100,000 this month
    assert "李娜" in page  # who sells
    assert "PCOOL0001" in page  # inside its cooling-off period
    assert "9,000" in page or "9000" in page  # this month's cancellation


def test_the_branch_page_stays_within_its_query_cap_with_results(
    manager_client, busy_branch, django_assert_max_num_queries
):
    for index in range(15):
        teller = BranchStaffFactory(branch=busy_branch)
        sale(
            busy_branch,
            datetime.date.today().replace(day=1),
            "1000",
            credited_staff=teller,
            number=f"PX{index:04d}",
        )
    # 3: the branch page's own (see tests/branches/test_branch_detail.py).
    with django_assert_max_num_queries(3):
        assert (
            manager_client.get(reverse("branches:detail", args=[busy_branch.pk])).status_code == 200
        )


def test_home_shows_month_to_date_and_rank(manager_client, busy_branch):
    page = manager_client.get(reverse("home")).text
    assert 'id="sales-month"' in page
    assert "41.0%" in page
    assert 'id="sales-rank"' in page


@pytest.mark.parametrize("size", [2, 12])
def test_home_and_dashboard_stay_within_their_caps_with_results(
    client, manager, supervisor, django_assert_max_num_queries, size
):
    today = datetime.date.today()
    for index in range(size):
        branch = BranchFactory(manager=manager)
        target(
            branch,
            today.replace(day=1),
            today.replace(day=1) + datetime.timedelta(days=27),
            "100000",
            5,
        )
        sale(branch, today.replace(day=1), "1000", number=f"PH{index:04d}")
    client.force_login(manager.user)
    client.get(reverse("home"))  # generates the checklist
    # 2: the manager's home's own (tests/project/test_home.py pins 3: its stock rows' stored
    # usage is not today's, so it reads one more).
    with django_assert_max_num_queries(2):
        assert client.get(reverse("home")).status_code == 200
    client.force_login(supervisor)
    # 3: the team dashboard's own (see tests/project/test_home_dashboard.py).
    with django_assert_max_num_queries(3):
        page = client.get(reverse("desk:dashboard")).text
    assert 'id="behind"' in page
    assert page.count(
        'class="list-group-item px-0 d-flex justify-content-between gap-2 behind-row"'
    ) == min(size, 5)


def test_the_planner_gives_being_behind_plan_as_a_reason(manager):
    from desk.planner import plan_visits

    behind = BranchFactory(manager=manager, name="落后支行")
    ahead = BranchFactory(manager=manager, name="领先支行")
    for branch in (behind, ahead):
        target(branch, *NOV, "100000")
    sale(ahead, datetime.date(2026, 11, 2), "60000")
    sale(behind, datetime.date(2026, 11, 2), "18000")

    rows = {row.branch: row for row in plan_visits(manager.user, TODAY).rows}

    # Half the month gone (50%), 18% reached: 32 points behind.
    assert [r.text for r in rows[behind].reasons if r.code == "behind_plan"] == ["落后计划 32%"]
    assert not [r for r in rows[ahead].reasons if r.code == "behind_plan"]


def test_the_dashboards_one_statement_gives_what_branch_and_manager_progress_give(
    manager, other_manager, django_assert_num_queries
):
    """The dashboard sums each manager's months in Python: the same figures as the two
    selectors that sum them in the database, for every kind of window."""
    mine, also_mine = BranchFactory(manager=manager), BranchFactory(manager=manager)
    theirs = BranchFactory(manager=other_manager)
    target(mine, *NOV, "100000", count=10)
    target(also_mine, datetime.date(2026, 10, 1), datetime.date(2026, 12, 31), "90000", count=9)
    target(theirs, datetime.date(2026, 1, 1), datetime.date(2026, 12, 31), "365000")
    sale(mine, datetime.date(2026, 11, 2), "50000")
    sale(mine, TODAY, "7000")
    sale(mine, TODAY + datetime.timedelta(days=1), "1000")  # not yet: after today
    sale(also_mine, datetime.date(2026, 10, 31), "30000")
    sale(also_mine, datetime.date(2026, 11, 3), "4000", status=Policy.Status.CANCELLED)
    sale(theirs, datetime.date(2026, 2, 28), "20000")
    # Sold by the other manager, then moved to mine: its sales count for its owner today.
    moved = BranchFactory(manager=other_manager)
    sale(moved, datetime.date(2026, 9, 30), "800")
    sale(moved, datetime.date(2026, 11, 1), "600")
    sale(moved, datetime.date(2026, 11, 1), "60", status=Policy.Status.SURRENDERED)
    moved.manager = manager
    moved.save(update_fields=["manager"])
    windows = [
        selectors.window(kind, TODAY) for kind in selectors.PERIOD_KINDS
    ] + selectors.month_windows(TODAY)
    owners = {
        mine.pk: manager.pk,
        also_mine.pk: manager.pk,
        theirs.pk: other_manager.pk,
        moved.pk: manager.pk,
    }
    month = windows[:1]

    with django_assert_num_queries(1):
        by_branch, by_manager = selectors.branch_and_manager_progress(
            owners, windows, branch_windows=month
        )

    assert by_manager == selectors.manager_progress([manager.pk, other_manager.pk], windows)
    assert by_branch == selectors.branch_progress(list(owners), month)
    assert by_manager[(manager.pk, "month")].premium == Decimal("57660")
    assert by_manager[(manager.pk, "quarter")].premium == Decimal("87660")
    assert by_manager[(manager.pk, "m202609")].premium == Decimal("800")


def test_todays_month_per_manager_is_read_only_when_no_branch_window_holds_it(manager):
    """With the month as a branch window the managers' month is its branch rows added up
    (the dashboard: one read fewer); otherwise it is read per manager."""
    month, quarter = selectors.window("month", TODAY), selectors.window("quarter", TODAY)
    windows = [month, quarter, *selectors.month_windows(TODAY)]
    where = Q(branch__manager_id__in=[manager.pk])

    derived = selectors.branch_and_manager_progress_queries(where, windows, branch_windows=[month])
    read = selectors.branch_and_manager_progress_queries(where, windows, branch_windows=[quarter])

    assert derived[2].query.is_empty()
    assert not read[2].query.is_empty()


def test_the_dashboards_targets_summed_per_manager_and_period_give_the_single_targets_figures(
    manager, other_manager
):
    """The dashboard sums a manager's targets per period in SQL before pro-rating them:
    after rounding, the same figures as pro-rating every branch's target on its own
    (``manager_progress``), over uneven amounts, periods that split a window at odd days,
    a branch moved to another manager (its targets follow its owner today), closed
    branches and a target of a period before the windows."""
    from branches.models import Branch

    periods = [
        NOV,
        Q4,
        (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)),
        (datetime.date(2026, 10, 17), datetime.date(2026, 11, 9)),  # 24 days
        (datetime.date(2025, 12, 30), datetime.date(2026, 2, 2)),  # over a year's turn
        (datetime.date(2024, 1, 1), datetime.date(2024, 12, 31)),  # before every window
        (datetime.date(2026, 11, 3), datetime.date(2027, 3, 7)),
    ]
    branches = []
    for index in range(9):
        owner = manager if index % 3 else other_manager
        branch = BranchFactory(manager=owner, is_active=index != 4)
        branches.append(branch)
        for step, (start, end) in enumerate(periods):
            if (index + step) % 4 == 3:
                continue
            cents = 1000001 + 7919 * index + 104729 * step
            target(branch, start, end, f"{cents // 100}.{cents % 100:02d}", count=7 + index + step)
    Branch.objects.filter(pk=branches[1].pk).update(manager=other_manager)  # moved
    windows = [
        selectors.window(kind, TODAY) for kind in selectors.PERIOD_KINDS
    ] + selectors.month_windows(TODAY)
    owners = dict(
        Branch.objects.filter(pk__in=[b.pk for b in branches]).values_list("pk", "manager_id")
    )

    _by_branch, by_manager = selectors.branch_and_manager_progress(
        owners, windows, branch_windows=windows[:1]
    )

    single = selectors.manager_progress([manager.pk, other_manager.pk], windows)
    assert by_manager == single
    # The data pro-rates at uneven fractions: the test would see a rounding difference.
    assert any(
        progress.premium_target != progress.premium_target.to_integral_value()
        for progress in single.values()
    )
    assert single[(other_manager.pk, "year")].premium_target > 0


def test_pro_rating_a_periods_summed_targets_rounds_as_pro_rating_each_target():
    """The arithmetic behind ``_target_sums_query`` over many random targets (no database):
    summing a period's targets before pro-rating gives the same quantized figures."""
    import random

    rng = random.Random(22)
    windows = [
        selectors.window(kind, TODAY) for kind in selectors.PERIOD_KINDS
    ] + selectors.month_windows(TODAY)
    starts = [datetime.date(2025, 11, 1) + datetime.timedelta(days=n) for n in range(0, 420, 13)]
    periods = [(start, start + datetime.timedelta(days=rng.randrange(1, 400))) for start in starts]
    single, summed = [], {}
    for _ in range(3000):
        owner = rng.randrange(5)
        start, end = rng.choice(periods)
        premium = Decimal(rng.randrange(0, 10**9)) / 100
        count = rng.randrange(0, 500)
        single.append((owner, start, end, premium, count))
        old = summed.get((owner, start, end), (ZERO, 0))
        summed[(owner, start, end)] = (old[0] + premium, old[1] + count)

    expected = selectors._quantized(selectors._targets_result(windows, single))
    got = selectors._quantized(
        selectors._targets_result(windows, [(*key, *sums) for key, sums in summed.items()])
    )

    assert got == expected
    assert len(expected) == 5 * len(windows)


def test_the_dashboards_monthly_sums_refuse_a_window_not_starting_on_the_first():
    odd = selectors.Window("odd", datetime.date(2026, 11, 2), datetime.date(2026, 11, 30), TODAY)
    with pytest.raises(ValueError):
        selectors._monthly_sales_query([1], [odd])


def test_home_month_gives_the_same_figures_when_told_the_branches_managers(manager, other_manager):
    """A manager's home tells home_month its branches' managers (all peers): it then
    filters on the peers alone, and must give what the OR of both conditions gives."""
    from accounts.models import AccountManager

    mine, theirs = BranchFactory(manager=manager), BranchFactory(manager=other_manager)
    for branch in (mine, theirs):
        target(branch, *NOV, "100000", count=10)
        sale(branch, datetime.date(2026, 11, 2), "40000")
    for ids in ([mine.pk], [mine.pk, theirs.pk]):
        managers = set(
            AccountManager.objects.filter(branches__pk__in=ids).values_list("pk", flat=True)
        )
        told = selectors.home_month(manager, ids, TODAY, branch_managers=managers)
        assert told == selectors.home_month(manager, ids, TODAY)
        assert told[0][(ids[-1], "month")].premium == Decimal("40000")
        assert told[0][(ids[-1], "month")].premium_target == Decimal("100000.00")


def test_the_branch_timeline_reads_only_what_its_entries_show(
    manager_client, branch, manager, django_assert_max_num_queries
):
    """The visits, policy changes, customer follow-ups and the sales panel's cooling-off
    list are read with .only(): every entry still shows its text and actor without a query
    of its own (one per row else)."""
    from sales.models import CustomerContact
    from tests.branches.factories import VisitFactory
    from tests.sales.factories import CustomerFactory, ProductFactory

    manager.user.first_name, manager.user.last_name = "芳", "王"
    manager.user.save()
    for index in range(3):
        VisitFactory(branch=branch, manager=manager, summary=f"送彩页{index}")
        PolicyFactory(
            branch=branch,
            number=f"PCAN{index:04d}",
            status=Policy.Status.CANCELLED,
            status_changed_on=datetime.date.today(),
            premium=Decimal("12345"),
            product=ProductFactory(name=f"鑫享{index}号"),
            customer=CustomerFactory(branch=branch, name=f"张三{index}"),
        )
        CustomerContact.objects.create(
            customer=CustomerFactory(branch=branch, name=f"李四{index}"),
            manager=manager,
            summary=f"回访{index}",
        )
        PolicyFactory(  # in the sales panel's cooling-off list
            branch=branch,
            number=f"PCOOL{index:04d}",
            premium=Decimal("23456"),
            cooling_off_ends_on=datetime.date.today() + datetime.timedelta(days=3),
            product=ProductFactory(name=f"安康{index}号"),
            customer=CustomerFactory(branch=branch, name=f"赵六{index}"),
        )
    with django_assert_max_num_queries(3):
        page = manager_client.get(reverse("branches:detail", args=[branch.pk])).text
    for index in range(3):
        assert f"送彩页{index}" in page and f"回访{index}" in page
        assert f"PCAN{index:04d} · 张三{index}" in page and f"鑫享{index}号 · 12,345" in page
        assert f"李四{index}" in page
        assert f"PCOOL{index:04d} · 赵六{index}" in page
        assert re.search(f"安康{index}号 · 23,?456", page)
    assert page.count("王芳") >= 6  # the visits' and follow-ups' actor
