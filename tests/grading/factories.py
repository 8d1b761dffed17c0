import datetime
import importlib
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from accounts.models import AccountManager
from grading.models import AssessmentPeriod, CurrentLevel, Level, LevelStandard, SalesFigure


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.django.Password("pw")


def entry_level():
    """客户专员, re-creating the ladder first if a transactional test flushed it away."""
    if not Level.objects.exists():
        ladder = importlib.import_module("grading.migrations.0003_levels").LEVELS
        for rank, code, tier, grade in ladder:
            Level.objects.create(rank=rank, code=code, tier=tier, grade=grade)
    return Level.objects.get(rank=1)


class AccountManagerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AccountManager
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    employee_number = factory.Sequence(lambda n: f"YB{n:05d}")
    hire_date = datetime.date(2020, 1, 1)
    mobile = factory.Sequence(lambda n: f"139{n:08d}")
    supervisor = None

    @factory.post_generation
    def level(obj, create, extracted, **kwargs):
        """``AccountManagerFactory(level=...)`` places the manager; the default is 客户专员."""
        if create:
            CurrentLevel.objects.update_or_create(
                manager=obj, defaults={"level": extracted or entry_level()}
            )


def level(rank):
    """One of the ten levels created by the data migration (1 = 客户专员 … 10)."""
    return Level.objects.get(rank=rank)


class AssessmentPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AssessmentPeriod
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"2026P{n}")
    start = datetime.date(2026, 10, 1)
    end = datetime.date(2026, 12, 31)
    is_open = True


class LevelStandardFactory(factory.django.DjangoModelFactory):
    """A standard with no thresholds set: pass keep_*/promote_* for the bars a test needs."""

    class Meta:
        model = LevelStandard

    level = factory.LazyFunction(lambda: level(1))
    effective_from = datetime.date(2026, 1, 1)


class SalesFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SalesFigure

    manager = factory.SubFactory(AccountManagerFactory)
    period = factory.SubFactory(AssessmentPeriodFactory)
    premium = Decimal("100000.00")
    policies = 10
    active_branches = 3
    persistency = Decimal("90.00")
