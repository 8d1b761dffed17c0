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

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        """Saved as the feed would: the branch's monthly sales recounted with it."""
        from sales.services import recount_monthly_sales

        policy = super()._create(model_class, *args, **kwargs)
        signed_on = policy.signed_on
        if isinstance(signed_on, str):
            signed_on = datetime.date.fromisoformat(signed_on)
        recount_monthly_sales([(policy.branch_id, signed_on)])
        return policy


def monthly_sales_as_stored():
    """{(branch id, first of month): (premium, policies, standard premium)} of MonthlySales."""
    from sales.models import MonthlySales

    return {
        (row.branch_id, row.month): (row.premium, row.policies, row.standard_premium)
        for row in MonthlySales.objects.all()
    }


def monthly_sales_recounted():
    """The same, recounted in Python from every policy (撤单 left out)."""
    sums = {}
    for policy in Policy.objects.exclude(status=Policy.Status.CANCELLED):
        key = (policy.branch_id, policy.signed_on.replace(day=1))
        premium, count, standard = sums.get(key, (Decimal("0"), 0, Decimal("0")))
        sums[key] = (premium + policy.premium, count + 1, standard + policy.standard_premium)
    return sums


def assert_monthly_sales_in_step():
    recounted = monthly_sales_recounted()
    assert monthly_sales_as_stored() == recounted
    return recounted
