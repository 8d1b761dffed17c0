import datetime

import factory
from django.contrib.auth import get_user_model

from grading.models import AccountManager


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.django.Password("pw")


class AccountManagerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AccountManager

    user = factory.SubFactory(UserFactory)
    employee_number = factory.Sequence(lambda n: f"YB{n:05d}")
    hire_date = datetime.date(2020, 1, 1)
    mobile = factory.Sequence(lambda n: f"139{n:08d}")
    supervisor = None
