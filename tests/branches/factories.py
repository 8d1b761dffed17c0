import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from branches.models import (
    AbnormalEvent,
    Bank,
    Branch,
    CompetitorPresence,
    DepositSnapshot,
    PlanTarget,
    Visit,
)
from tests.grading.factories import AccountManagerFactory


class BankFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bank
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"测试银行{n}")
    short_name = factory.Sequence(lambda n: f"测{n}")


class BranchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Branch

    bank = factory.SubFactory(BankFactory)
    name = factory.Sequence(lambda n: f"第{n}支行")
    code = factory.Sequence(lambda n: f"B{n:05d}")
    district = "黄浦区"
    city = "上海"
    tier = Branch.Tier.B
    manager = factory.SubFactory(AccountManagerFactory)


class VisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Visit

    branch = factory.SubFactory(BranchFactory)
    manager = factory.SelfAttribute("branch.manager")
    visited_at = factory.LazyFunction(timezone.now)
    purposes = factory.LazyFunction(lambda: [Visit.Purpose.RELATIONSHIP])
    summary = "拜访网点主任"


class AbnormalEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AbnormalEvent

    branch = factory.SubFactory(BranchFactory)
    category = AbnormalEvent.Category.OTHER
    description = "情况说明"
    reported_by = factory.SelfAttribute("branch.manager.user")


class DepositSnapshotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DepositSnapshot

    branch = factory.SubFactory(BranchFactory)
    as_of = factory.LazyFunction(timezone.localdate)
    personal = Decimal("50000000.00")
    corporate = Decimal("20000000.00")


class PlanTargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanTarget

    branch = factory.SubFactory(BranchFactory)
    period_start = factory.LazyFunction(lambda: timezone.localdate().replace(day=1))
    period_end = factory.LazyAttribute(lambda o: o.period_start + datetime.timedelta(days=89))
    premium_target = Decimal("3000000.00")
    policy_count_target = 120
    competition_scheme = "开门红竞赛"


class CompetitorPresenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CompetitorPresence

    branch = factory.SubFactory(BranchFactory)
    insurer = "某某人寿"
    annual_premium = Decimal("1000000.00")
    recent_premium = Decimal("200000.00")
    observed_on = factory.LazyFunction(timezone.localdate)
