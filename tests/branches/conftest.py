import pytest

from tests.branches.factories import BranchFactory
from tests.staff.factories import BranchStaffFactory


@pytest.fixture
def branch(manager):
    return BranchFactory(manager=manager, name="南京东路支行", code="SH0001")


@pytest.fixture
def teller(branch):
    return BranchStaffFactory(branch=branch, name="李娜", mobile="13812345678")
