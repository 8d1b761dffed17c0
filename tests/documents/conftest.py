import pytest

from tests.branches.factories import BranchFactory


@pytest.fixture
def branch(manager):
    return BranchFactory(manager=manager)


@pytest.fixture
def other_branch(other_manager):
    return BranchFactory(manager=other_manager)
