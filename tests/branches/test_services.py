import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from branches import services
from branches.models import AbnormalEvent, CompetitorPresence, DepositSnapshot, PlanTarget
from tests.branches.factories import BranchFactory, DepositSnapshotFactory

pytestmark = pytest.mark.django_db


def test_it_records_deposits_as_dated_snapshots():
    branch = BranchFactory()
    today = timezone.localdate()
    services.record_deposits(
        branch=branch, as_of=today, personal=Decimal("100"), corporate=Decimal("50")
    )
    snapshot = DepositSnapshot.objects.get(branch=branch)
    assert snapshot.total == Decimal("150")


def test_it_refuses_negative_deposits():
    branch = BranchFactory()
    with pytest.raises(ValidationError) as error:
        services.record_deposits(
            branch=branch,
            as_of=timezone.localdate(),
            personal=Decimal("-1"),
            corporate=Decimal("0"),
        )
    assert "personal" in error.value.message_dict
    assert not DepositSnapshot.objects.exists()


def test_the_database_refuses_negative_deposits_too():
    with pytest.raises(IntegrityError):
        DepositSnapshotFactory(corporate=Decimal("-5"))


def test_it_refuses_a_second_snapshot_on_the_same_day():
    snapshot = DepositSnapshotFactory()
    with pytest.raises(ValidationError):
        services.record_deposits(
            branch=snapshot.branch, as_of=snapshot.as_of, personal=1, corporate=1
        )
    assert DepositSnapshot.objects.count() == 1


def test_a_plan_target_for_the_same_period_updates_it():
    branch = BranchFactory()
    start = datetime.date(2026, 1, 1)
    end = datetime.date(2026, 3, 31)
    services.set_plan_target(
        branch=branch, period_start=start, period_end=end, premium_target=Decimal("100")
    )
    services.set_plan_target(
        branch=branch,
        period_start=start,
        period_end=end,
        premium_target=Decimal("200"),
        competition_scheme="开门红",
    )
    target = PlanTarget.objects.get(branch=branch)
    assert target.premium_target == Decimal("200")
    assert target.competition_scheme == "开门红"


def test_a_plan_target_period_cannot_end_before_it_starts():
    with pytest.raises(ValidationError) as error:
        services.set_plan_target(
            branch=BranchFactory(),
            period_start=datetime.date(2026, 3, 1),
            period_end=datetime.date(2026, 1, 1),
            premium_target=Decimal("1"),
        )
    assert "period_end" in error.value.message_dict
    assert not PlanTarget.objects.exists()


def test_competitor_observations_are_added_not_overwritten():
    branch = BranchFactory()
    for premium, days_ago in ((Decimal("100"), 30), (Decimal("300"), 0)):
        services.record_competitor(
            branch=branch,
            insurer="平安人寿",
            annual_premium=premium,
            observed_on=timezone.localdate() - datetime.timedelta(days=days_ago),
        )
    assert CompetitorPresence.objects.filter(branch=branch, insurer="平安人寿").count() == 2


def test_a_competitor_campaign_needs_its_dates_and_effect():
    branch = BranchFactory()
    with pytest.raises(ValidationError) as error:
        services.report_event(
            branch=branch,
            category=AbnormalEvent.Category.COMPETITOR_CAMPAIGN,
            description="某公司送礼品",
            reported_by=branch.manager.user,
        )
    assert {"campaign_start", "campaign_effect"} <= set(error.value.message_dict)
    assert not AbnormalEvent.objects.exists()


def test_it_reports_an_event():
    branch = BranchFactory()
    event = services.report_event(
        branch=branch,
        category=AbnormalEvent.Category.GOVERNMENT_BONDS,
        description="国债上柜",
        reported_by=branch.manager.user,
    )
    assert event.status == AbnormalEvent.Status.REPORTED
