import datetime
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from documents import services
from documents.models import BranchStock
from documents.selectors import (
    StockState,
    assess,
    attention_candidates,
    attention_for_user,
    attention_items,
    overview_rows,
    stock_overview,
    stock_overview_keys,
    stock_state,
)
from documents.signals import stock_state_changed
from tests.branches.factories import BranchFactory, VisitFactory
from tests.documents.factories import stock_at

TODAY = datetime.date(2026, 3, 10)


@pytest.mark.parametrize(
    ("on_hand", "threshold", "usage_30", "next_visit_in", "state", "cover"),
    [
        (0, 10, 0, None, "out", None),
        (0, 10, 30, None, "out", Decimal("0.0")),
        (10, 10, 0, None, "low", None),  # at the threshold counts as low
        (5, 10, 30, 3, "low", Decimal("5.0")),
        (11, 10, 0, None, "ok", None),  # nobody used any: cover is unlimited
        (11, 10, 60, None, "at_risk", Decimal("5.5")),  # 2 a day: 5.5 days < 7
        (14, 10, 60, None, "ok", Decimal("7.0")),  # exactly 7 days is enough
        (14, 10, 60, 10, "at_risk", Decimal("7.0")),  # next visit in 10 days
        (20, 10, 60, 10, "ok", Decimal("10.0")),
        (20, 10, 60, -3, "ok", Decimal("10.0")),  # overdue visit: the 7-day floor rules
        (100, 10, 7, 400, "ok", Decimal("428.6")),
        (100, 10, 9, 400, "at_risk", Decimal("333.3")),
    ],
)
def test_state_and_days_of_cover(on_hand, threshold, usage_30, next_visit_in, state, cover):
    next_visit_on = TODAY + datetime.timedelta(days=next_visit_in) if next_visit_in else None
    assessment = assess(
        on_hand=on_hand,
        threshold=threshold,
        usage_in_window=usage_30,
        next_visit_on=next_visit_on,
        today=TODAY,
    )
    assert (assessment.state, assessment.days_of_cover) == (state, cover)


def _at(day, hour=10):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.mark.django_db
def test_only_usage_in_the_last_30_days_counts(branch, manager):
    stock = stock_at(
        branch, "brochure", 200, manager.user, when=_at(TODAY - datetime.timedelta(60))
    )
    services.record_usage(
        branch_stock=stock,
        quantity=100,
        user=manager.user,
        when=_at(TODAY - datetime.timedelta(days=30)),
    )
    services.record_usage(
        branch_stock=stock,
        quantity=60,
        user=manager.user,
        when=_at(TODAY - datetime.timedelta(days=29)),
    )
    services.record_damage(
        branch_stock=stock, quantity=5, user=manager.user, when=_at(TODAY)
    )  # damage is not usage
    # 35 left, 60 used in the window: 2 a day, 17.5 days of cover
    assert stock_state(stock, today=TODAY).days_of_cover == Decimal("17.5")


@pytest.mark.django_db
def test_the_latest_visit_plans_the_horizon(branch, manager):
    stock = stock_at(
        branch, "brochure", 200, manager.user, when=_at(TODAY - datetime.timedelta(20))
    )
    services.record_usage(
        branch_stock=stock,
        quantity=120,
        user=manager.user,
        when=_at(TODAY - datetime.timedelta(days=2)),
    )
    # 80 left at 4 a day: 20 days of cover
    VisitFactory(
        branch=branch,
        visited_at=_at(TODAY - datetime.timedelta(days=9)),
        next_visit_on=TODAY + datetime.timedelta(days=30),
    )
    VisitFactory(
        branch=branch,
        visited_at=_at(TODAY - datetime.timedelta(days=1)),
        next_visit_on=TODAY + datetime.timedelta(days=14),
    )
    assert stock_state(stock, today=TODAY).state == "ok"
    VisitFactory(branch=branch, visited_at=_at(TODAY), next_visit_on=TODAY + datetime.timedelta(25))
    assert stock_state(stock, today=TODAY).state == "at_risk"


@pytest.mark.django_db
def test_attention_items_lists_only_what_needs_attention(manager, other_manager):
    ok_branch = BranchFactory(manager=manager)
    stock_at(ok_branch, "brochure", 500, manager.user)
    low = stock_at(ok_branch, "summary_sheet", 5, manager.user)
    out = stock_at(ok_branch, "application_form", 5, manager.user)
    services.record_usage(branch_stock=out, quantity=5, user=manager.user)
    elsewhere = stock_at(BranchFactory(manager=other_manager), "summary_sheet", 1, manager.user)

    mine = {(row.pk, row.assessment.state) for row in attention_items(manager)}
    assert mine == {(low.pk, "low"), (out.pk, "out")}
    everyone = {row.pk for row in attention_items(None)}
    assert elsewhere.pk in everyone


@pytest.mark.django_db
def test_attention_items_agree_with_each_items_own_state(manager):
    """attention_items assesses from plain figures: it must reach stock_state's verdicts."""
    branch = BranchFactory(manager=manager)
    when = _at(TODAY - datetime.timedelta(days=40))
    fine = stock_at(branch, "brochure", 500, manager.user, when=when)
    override = stock_at(branch, "poster", 30, manager.user, when=when)
    override.threshold_override = 40  # low only through the branch's own threshold
    override.save(update_fields=["threshold_override"])
    at_risk = stock_at(branch, "summary_sheet", 200, manager.user, when=when)
    services.record_usage(
        branch_stock=at_risk,
        quantity=150,
        user=manager.user,
        when=_at(TODAY - datetime.timedelta(1)),
    )
    VisitFactory(branch=branch, visited_at=_at(TODAY), next_visit_on=TODAY + datetime.timedelta(40))

    found = {row.pk: row.assessment for row in attention_items(manager, today=TODAY)}
    assert set(found) == {override.pk, at_risk.pk}
    for stock in (override, at_risk):
        assert found[stock.pk] == stock_state(stock, today=TODAY)
    assert stock_state(fine, today=TODAY).state == "ok"


def test_a_users_attention_rows_are_the_overviews_rows_needing_attention(manager):
    """The home page and dashboard read stock through attention_for_user: the same rows,
    verdicts and order as the stock overview filtered to low, out and at risk."""
    first, second = BranchFactory(manager=manager), BranchFactory(manager=manager)
    when = _at(TODAY - datetime.timedelta(days=40))
    stock_at(first, "brochure", 500, manager.user, when=when)
    stock_at(first, "poster", 1, manager.user, when=when)
    at_risk = stock_at(second, "summary_sheet", 200, manager.user, when=when)
    services.record_usage(
        branch_stock=at_risk,
        quantity=150,
        user=manager.user,
        when=_at(TODAY - datetime.timedelta(1)),
    )
    stock_at(second, "brochure", 1, manager.user, when=when)

    expected = [
        (row.pk, row.assessment)
        for row in stock_overview(manager.user, today=TODAY)
        if row.assessment.state in StockState.ATTENTION
    ]
    found = [(row.pk, row.assessment) for row in attention_for_user(manager.user, today=TODAY)]
    assert len(expected) >= 2  # low and at risk, from two branches
    assert found == expected


@pytest.mark.django_db
def test_the_candidates_are_exactly_the_rows_at_risk_before_their_own_branchs_visit(manager):
    """The database's horizon is assess's, branch by branch: the days to the branch's
    planned visit, at least a week. With usage stored today and nothing low, the candidates
    are the rows at risk, none more (a team-wide horizon let ten times too many through)."""
    codes = ["brochure", "poster", "summary_sheet", "application_form"]
    # Days of cover on either side of 7, 8, 20 and 21 days; 300 a month is 10 a day, 299
    # makes covers that round.
    on_hands = [69, 70, 71, 79, 80, 81, 199, 200, 201, 209, 210, 211]
    rows = []
    for planned_in in (None, -3, 3, 7, 8, 20, 21, 30):
        for start in range(0, len(on_hands), len(codes)):
            branch = BranchFactory(manager=manager)
            if planned_in is not None:
                VisitFactory(
                    branch=branch,
                    visited_at=_at(TODAY - datetime.timedelta(days=1)),
                    next_visit_on=TODAY + datetime.timedelta(days=planned_in),
                )
            for code, on_hand in zip(codes, on_hands[start:], strict=False):
                rows.append(stock_at(branch, code, on_hand, manager.user).pk)
    for n, pk in enumerate(rows):
        BranchStock.objects.filter(pk=pk).update(
            usage_30d=300 if n % 2 else 299, usage_30d_on=TODAY, threshold_override=1
        )
    stock = BranchStock.objects.filter(pk__in=rows).select_related("branch")
    at_risk = {
        row.pk
        for row in stock
        if assess(
            on_hand=row.on_hand,
            threshold=1,
            usage_in_window=row.usage_30d,
            next_visit_on=row.branch.planned_visit_on,
            today=TODAY,
        ).state
        == StockState.AT_RISK
    }
    candidates = {row.pk for row in attention_candidates(BranchStock.objects.all(), TODAY)}
    assert 20 < len(at_risk) < len(rows) - 20  # both sides of every horizon
    assert candidates == at_risk


@pytest.mark.django_db
@pytest.mark.parametrize("branches", [2, 12])
def test_attention_items_runs_constant_queries(manager, django_assert_max_num_queries, branches):
    for _ in range(branches):
        branch = BranchFactory(manager=manager)
        stock_at(branch, "brochure", 5, manager.user)
        stock_at(branch, "summary_sheet", 1, manager.user)
    # Usage, figures, then the rows needing attention (bench/RESULTS.md).
    with django_assert_max_num_queries(3):
        rows = attention_items(manager)
        assert len(rows) == branches * 2
        [str(row.branch) + str(row.item) for row in rows]


@pytest.mark.django_db
def test_a_state_change_is_announced_after_commit(
    branch, manager, django_capture_on_commit_callbacks
):
    received = []

    def receiver(sender, branch_stock, previous, current, **kwargs):
        received.append((branch_stock.pk, previous, current))

    stock_state_changed.connect(receiver)
    try:
        stock = stock_at(branch, "brochure", 60, manager.user)
        with django_capture_on_commit_callbacks(execute=True):
            services.record_usage(
                branch_stock=stock, quantity=20, user=manager.user
            )  # 40 left: low (threshold 50)
            assert received == []  # not before the commit
        assert received == [(stock.pk, "ok", "low")]
        with django_capture_on_commit_callbacks(execute=True):
            services.record_usage(
                branch_stock=stock, quantity=1, user=manager.user
            )  # still low: nothing new
        assert len(received) == 1
        with django_capture_on_commit_callbacks(execute=True):
            services.record_usage(branch_stock=stock, quantity=39, user=manager.user)
        assert received[-1] == (stock.pk, "low", "out")
    finally:
        stock_state_changed.disconnect(receiver)


def _announced_by_usage(capture, stock, **usage):
    """The (previous, current) states announced after commit when ``usage`` is recorded."""
    received = []

    def receiver(sender, branch_stock, previous, current, **kwargs):
        received.append((previous, current))

    stock_state_changed.connect(receiver)
    try:
        with capture(execute=True):
            services.record_usage(branch_stock=stock, **usage)
    finally:
        stock_state_changed.disconnect(receiver)
    return received


@pytest.mark.django_db
def test_usage_that_leaves_too_few_days_of_cover_is_announced_as_at_risk(
    branch, manager, django_capture_on_commit_callbacks
):
    # The state after a movement counts the movement's own usage: 900 used today leaves 100,
    # above the threshold, but at 30 a day only 3.3 days of cover.
    stock = stock_at(branch, "brochure", 1000, manager.user)
    announced = _announced_by_usage(
        django_capture_on_commit_callbacks, stock, quantity=900, user=manager.user
    )
    assert announced == [("ok", "at_risk")]
    assert stock_state(stock).state == "at_risk"


@pytest.mark.django_db
def test_usage_recorded_for_long_ago_changes_no_state_by_its_rate(
    branch, manager, django_capture_on_commit_callbacks
):
    long_ago = timezone.now() - datetime.timedelta(days=60)
    stock = stock_at(branch, "brochure", 1000, manager.user, when=long_ago)
    announced = _announced_by_usage(
        django_capture_on_commit_callbacks,
        stock,
        quantity=900,
        user=manager.user,
        when=long_ago + datetime.timedelta(days=20),
    )
    assert announced == []  # 100 left, above the threshold, no usage in the last 30 days
    assert stock_state(stock).state == "ok"


# --- The stored 30-day usage (BranchStock.usage_30d, refreshed each night) -------------------


def _scenario(manager):
    """Items in every state over two branches, usage recorded through the services."""
    first, second = BranchFactory(manager=manager), BranchFactory(manager=manager)
    when = _at(TODAY - datetime.timedelta(days=40))
    stock_at(first, "brochure", 500, manager.user, when=when)
    stock_at(first, "poster", 1, manager.user, when=when)
    at_risk = stock_at(second, "summary_sheet", 200, manager.user, when=when)
    old = stock_at(second, "brochure", 300, manager.user, when=when)
    services.record_usage(
        branch_stock=old, quantity=250, user=manager.user, when=_at(TODAY - datetime.timedelta(35))
    )
    services.record_usage(
        branch_stock=at_risk,
        quantity=190,
        user=manager.user,
        when=_at(TODAY - datetime.timedelta(2)),
    )
    return at_risk


def _live(manager):
    return [
        (row.pk, row.assessment)
        for row in stock_overview(manager.user, today=TODAY)
        if row.assessment.state in StockState.ATTENTION
    ]


@pytest.mark.django_db
def test_the_nightly_refresh_stores_each_items_usage_in_the_window(manager):
    at_risk = _scenario(manager)
    assert services.refresh_stock_usage(today=TODAY) == 4
    stored = {row.pk: (row.usage_30d, row.usage_30d_on) for row in BranchStock.objects.all()}
    # Usage 35 days ago is outside the window; 2 days ago inside.
    assert stored[at_risk.pk] == (190, TODAY)
    assert sorted(usage for usage, _day in stored.values()) == [0, 0, 0, 190]


@pytest.mark.django_db
def test_usage_recorded_after_the_refresh_is_added_to_the_stored_figure(manager):
    at_risk = _scenario(manager)
    services.refresh_stock_usage(today=TODAY)
    services.record_usage(
        branch_stock=at_risk, quantity=5, user=manager.user, when=_at(TODAY, hour=15)
    )
    # A delivery is not usage; usage dated before the window does not count.
    services.record_delivery(
        branch=at_risk.branch, lines=[(at_risk.item, 5)], user=manager.user, when=_at(TODAY)
    )
    services.record_usage(
        branch_stock=at_risk,
        quantity=1,
        user=manager.user,
        when=_at(TODAY - datetime.timedelta(45)),
    )
    at_risk.refresh_from_db()
    assert at_risk.usage_30d == 195


@pytest.mark.django_db
def test_attention_reads_the_stored_usage_and_agrees_with_the_ledger(
    manager, django_assert_max_num_queries
):
    at_risk = _scenario(manager)
    services.refresh_stock_usage(today=TODAY)
    expected = _live(manager)
    assert at_risk.pk in {pk for pk, _assessment in expected}
    # Fresh stored usage: only the candidate rows with their models, one read.
    with django_assert_max_num_queries(1):
        found = [(r.pk, r.assessment) for r in attention_for_user(manager.user, today=TODAY)]
    assert found == expected
    # The stored figure is what is read: changed behind the services' back, it shows.
    BranchStock.objects.filter(pk=at_risk.pk).update(usage_30d=0)
    found = {r.pk: r.assessment for r in attention_for_user(manager.user, today=TODAY)}
    assert at_risk.pk not in found or found[at_risk.pk].days_of_cover is None


@pytest.mark.django_db
def test_a_stale_stored_usage_is_read_from_the_ledger(manager):
    at_risk = _scenario(manager)
    services.refresh_stock_usage(today=TODAY - datetime.timedelta(days=1))
    BranchStock.objects.filter(pk=at_risk.pk).update(usage_30d=0)
    # Yesterday's figure is not trusted today: the ledger says it is at risk.
    found = [(r.pk, r.assessment) for r in attention_for_user(manager.user, today=TODAY)]
    assert found == _live(manager)
    assert at_risk.pk in {pk for pk, _assessment in found}


def _shown(row):
    """What documents/overview.html shows of a row."""
    return (
        row.pk,
        row.assessment,
        row.on_hand,
        row.item.label,
        row.item.unit_label,
        row.branch_id,
        str(row.branch),
    )


@pytest.mark.django_db
@pytest.mark.parametrize("refreshed", [False, True])
@pytest.mark.parametrize("state", [None, "ok", "low", "out", "at_risk"])
def test_the_overview_pages_rows_are_stock_overviews_rows(
    manager, supervisor, state, refreshed, django_assert_num_queries
):
    """The overview page reads plain values first and models for one page only
    (stock_overview_keys, overview_rows), with each item's stored usage where it is the
    day's (refreshed) and the ledger's otherwise: the same rows, verdicts and order as
    stock_overview (the ledger's), for a manager and their supervisor, every state present."""
    _scenario(manager)
    third = BranchFactory(manager=manager)
    overridden = stock_at(third, "poster", 40, manager.user)
    BranchStock.objects.filter(pk=overridden.pk).update(threshold_override=50)  # low by override
    out = stock_at(third, "summary_sheet", 5, manager.user, when=_at(TODAY - datetime.timedelta(3)))
    services.record_usage(
        branch_stock=out, quantity=5, user=manager.user, when=_at(TODAY - datetime.timedelta(1))
    )
    risky = stock_at(third, "brochure", 1000, manager.user, when=_at(TODAY - datetime.timedelta(9)))
    services.record_usage(
        branch_stock=risky, quantity=600, user=manager.user, when=_at(TODAY - datetime.timedelta(2))
    )  # 400 left at 20 a day: 20 days of cover, the next visit in 60
    VisitFactory(branch=third, manager=manager, next_visit_on=TODAY + datetime.timedelta(60))
    if refreshed:
        assert services.refresh_stock_usage(today=TODAY) == BranchStock.objects.count()
        # One item's stored usage is a day old: that one is summed from the ledger.
        BranchStock.objects.filter(pk=risky.pk).update(
            usage_30d=0, usage_30d_on=TODAY - datetime.timedelta(1)
        )
    for user in (manager.user, supervisor):
        expected = [
            (row.pk, row.assessment) for row in stock_overview(user, state=state, today=TODAY)
        ]
        keys = stock_overview_keys(user, state=state, today=TODAY)
        assert [(key.pk, key.assessment) for key in keys] == expected
        for language in ("zh-hans", "en"):
            with translation.override(language):
                shown = [_shown(row) for row in stock_overview(user, state=state, today=TODAY)]
                with django_assert_num_queries(0):  # the page's models from the keys alone
                    assert [_shown(row) for row in overview_rows(keys[1:4])] == shown[1:4]
    states = {key.assessment.state for key in stock_overview_keys(manager.user, today=TODAY)}
    assert states == {"ok", "low", "out", "at_risk"}
