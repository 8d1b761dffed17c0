import datetime
from decimal import Decimal

import factory

from sales.models import Customer, Policy, Product
from sales.validators import _CHECK, _WEIGHTS
from tests.branches.factories import BranchFactory


def id_number(body="11010519900307123"):
    """A valid 18-character ID number: ``body`` (17 digits) plus its check digit."""
    total = sum(int(d) * w for d, w in zip(body, _WEIGHTS, strict=True))
    return body + _CHECK[total % 11]


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"P{n:03d}")
    name = factory.Sequence(lambda n: f"鑫享年金{n}号")
    kind = Product.Kind.REGULAR
    payment_years = 5
    standard_factor = Decimal("0.5")
    on_sale_from = datetime.date(2024, 1, 1)


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    identity = factory.Sequence(lambda n: f"customer-{n}")
    name = factory.Sequence(lambda n: f"客户{n}")
    id_number = factory.LazyFunction(id_number)
    phone = "13912345678"
    branch = factory.SubFactory(BranchFactory)


class PolicyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Policy

    number = factory.Sequence(lambda n: f"PL{n:08d}")
    product = factory.SubFactory(ProductFactory)
    branch = factory.SubFactory(BranchFactory)
    manager = factory.SelfAttribute("branch.manager")
    customer = factory.SubFactory(CustomerFactory, branch=factory.SelfAttribute("..branch"))
    premium = Decimal("10000")
    standard_premium = factory.LazyAttribute(lambda o: o.premium * o.product.standard_factor)
    payment_years = 5
    signed_on = factory.LazyFunction(datetime.date.today)
    status = Policy.Status.IN_FORCE
