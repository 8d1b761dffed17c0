"""Grading's sales metrics come from the policies; a period without any is "no data"."""

import datetime
from decimal import Decimal

from grading.selectors import metrics_for, metrics_for_managers
from sales.models import Policy, Product
from tests.branches.factories import BranchFactory
from tests.grading.factories import (
    AccountManagerFactory,
    AssessmentPeriodFactory,
    SalesFigureFactory,
)
from tests.sales.factories import PolicyFactory, ProductFactory

Q4 = {"start": datetime.date(2026, 10, 1), "end": datetime.date(2026, 12, 31)}


def test_a_period_without_any_policy_has_no_sales_data(manager):
    BranchFactory(manager=manager)
    PolicyFactory(branch__manager=manager, signed_on=datetime.date(2026, 9, 30))  # before Q4

    metrics = metrics_for(manager, AssessmentPeriodFactory(**Q4))

    assert (metrics["premium"], metrics["policies"], metrics["active_branches"]) == (
        None,
        None,
        None,
    )
    assert metrics["persistency"] is None


def test_premium_policies_and_active_branches_are_read_from_the_policies(manager, other_manager):
    first, second = BranchFactory(manager=manager), BranchFactory(manager=manager)
    BranchFactory(manager=manager)  # no sale there: not active
    day = datetime.date(2026, 11, 5)
    PolicyFactory(branch=first, signed_on=day, premium=Decimal("10000"))
    PolicyFactory(branch=first, signed_on=day, premium=Decimal("5000"))
    PolicyFactory(branch=second, signed_on=day, premium=Decimal("2500.50"))
    # 撤单 is not a sale; another manager's sale is theirs.
    PolicyFactory(
        branch=second, signed_on=day, premium=Decimal("99999"), status=Policy.Status.CANCELLED
    )
    period = AssessmentPeriodFactory(**Q4)

    result = metrics_for_managers([manager, other_manager], period)

    mine = result[manager.pk]
    assert (mine["premium"], mine["policies"], mine["active_branches"]) == ("17500.50", 3, 2)
    # The feed covers the period, so the other manager really sold nothing: 0, not None.
    theirs = result[other_manager.pk]
    assert (theirs["premium"], theirs["policies"], theirs["active_branches"]) == ("0.00", 0, 0)


def test_thirteen_month_persistency_of_regular_premium_policies(manager):
    branch = BranchFactory(manager=manager)
    regular = ProductFactory(code="R5", kind=Product.Kind.REGULAR)
    single = ProductFactory(code="S1", kind=Product.Kind.SINGLE, payment_years=1)
    cohort_day = datetime.date(2025, 6, 1)  # 13 to 25 months before 2026-12-31
    for status in ("in_force", "in_force", "in_force", "surrendered"):
        PolicyFactory(branch=branch, product=regular, signed_on=cohort_day, status=status)
    PolicyFactory(branch=branch, product=single, signed_on=cohort_day, status="lapsed")
    PolicyFactory(branch=branch, product=regular, signed_on=datetime.date(2026, 11, 1))

    metrics = metrics_for(manager, AssessmentPeriodFactory(**Q4))

    assert metrics["persistency"] == "75.00"  # 3 of the 4 regular-premium policies


def test_a_sales_figure_is_a_correction_that_wins(manager):
    branch = BranchFactory(manager=manager)
    PolicyFactory(branch=branch, signed_on=datetime.date(2026, 11, 5), premium=Decimal("10000"))
    period = AssessmentPeriodFactory(**Q4)
    SalesFigureFactory(manager=manager, period=period, premium=Decimal("12345.00"), policies=2)

    assert metrics_for(manager, period)["premium"] == "12345.00"


def test_metrics_cost_the_same_queries_for_a_bigger_team(django_assert_max_num_queries, db):
    period = AssessmentPeriodFactory(**Q4)
    managers = AccountManagerFactory.create_batch(6)
    for manager in managers:
        PolicyFactory(branch__manager=manager, signed_on=datetime.date(2026, 11, 5))
    with django_assert_max_num_queries(7):
        metrics_for_managers(managers, period)
