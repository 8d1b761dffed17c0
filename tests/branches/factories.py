import factory
from django.utils import timezone

from branches.models import AbnormalEvent, Bank, Branch, Visit
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
