import pytest
from django.utils import translation

from tests.branches.factories import BranchFactory


@pytest.fixture
def branch(manager):
    return BranchFactory(manager=manager, name="南京东路支行")


@pytest.fixture
def other_branch(other_manager):
    return BranchFactory(manager=other_manager, name="陆家嘴支行")


@pytest.fixture(autouse=True)
def english():
    """Service-level tests read English messages; pages use the language cookie (see views)."""
    with translation.override("en"):
        yield
