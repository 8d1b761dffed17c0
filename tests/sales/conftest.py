import pytest

from tests.branches.factories import BankFactory, BranchFactory
from tests.sales.factories import ProductFactory
from tests.staff.factories import BranchStaffFactory


@pytest.fixture
def bank(db):
    return BankFactory(name="中国工商银行", short_name="工行")


@pytest.fixture
def branch(manager, bank):
    return BranchFactory(manager=manager, bank=bank, name="南京东路支行", code="SH0001")


@pytest.fixture
def other_branch(other_manager, bank):
    return BranchFactory(manager=other_manager, bank=bank, name="徐家汇支行", code="SH0002")


@pytest.fixture
def teller(branch):
    return BranchStaffFactory(branch=branch, name="李娜", mobile="13812345678")


@pytest.fixture
def product(db):
    return ProductFactory(code="AN05", name="鑫享年金", payment_years=5)


@pytest.fixture
def single_product(db):
    from decimal import Decimal

    from sales.models import Product

    return ProductFactory(
        code="SP01",
        name="金满仓",
        kind=Product.Kind.SINGLE,
        payment_years=1,
        standard_factor=Decimal("0.1"),
    )
