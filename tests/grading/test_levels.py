"""The ladder itself: ten levels in four tiers, lowest first, and how managers enter it."""

import pytest
from django.db import IntegrityError
from django.utils import translation

from accounts.models import AccountManager
from grading.models import Level
from tests.grading.factories import AccountManagerFactory


@pytest.mark.django_db
def test_the_ladder_has_four_tiers_and_ten_levels_lowest_first():
    with translation.override("zh-hans"):
        names = [str(level) for level in Level.objects.all()]
    assert names == [
        "客户专员",
        "客户主任一级",
        "客户主任二级",
        "客户主任三级",
        "客户经理一级",
        "客户经理二级",
        "客户经理三级",
        "高级客户经理一级",
        "高级客户经理二级",
        "高级客户经理三级",
    ]
    tiers = list(dict.fromkeys(Level.objects.values_list("tier", flat=True)))
    assert tiers == ["associate", "supervisor", "manager", "senior"]


@pytest.mark.django_db
def test_level_names_are_translated():
    level = Level.objects.get(rank=2)
    with translation.override("en"):
        assert str(level) == "Customer Supervisor grade 1"


@pytest.mark.django_db
def test_a_new_hire_starts_as_customer_associate():
    manager = AccountManagerFactory()
    assert manager.current_level.level.rank == 1
    assert manager.entry_route == AccountManager.EntryRoute.NEW_HIRE


@pytest.mark.django_db
def test_an_affiliation_must_name_the_previous_employer_and_reason():
    with pytest.raises(IntegrityError):
        AccountManagerFactory(entry_route=AccountManager.EntryRoute.AFFILIATION)
