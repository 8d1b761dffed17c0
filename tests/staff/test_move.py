import datetime

import pytest
from django.urls import reverse

from tests.branches.factories import BranchFactory

pytestmark = pytest.mark.django_db


def test_a_manager_moves_staff_to_another_of_their_branches(manager_client, manager, teller):
    new_branch = BranchFactory(manager=manager, name="陆家嘴支行")
    response = manager_client.post(
        reverse("staff:move", args=[teller.pk]),
        {"branch": new_branch.pk, "role": "director", "on": "2026-01-05"},
        follow=True,
    )
    teller.refresh_from_db()
    assert teller.branch == new_branch
    page = response.content.decode()
    assert "陆家嘴支行" in page and "2026-01-05" in page


def test_only_own_branches_are_offered(manager_client, teller, other_manager):
    foreign = BranchFactory(manager=other_manager)
    response = manager_client.post(
        reverse("staff:move", args=[teller.pk]),
        {"branch": foreign.pk, "role": "teller", "on": "2026-01-05"},
    )
    assert response.context["form"].errors["branch"]
    teller.refresh_from_db()
    assert teller.branch != foreign


def test_a_move_before_the_current_posting_is_refused(manager_client, manager, teller):
    from staff.services import move_staff

    first = BranchFactory(manager=manager)
    move_staff(staff=teller, new_branch=first, role="teller", on=datetime.date(2026, 3, 1))
    response = manager_client.post(
        reverse("staff:move", args=[teller.pk]),
        {"branch": BranchFactory(manager=manager).pk, "role": "teller", "on": "2025-01-01"},
    )
    assert "调动日期不能早于" in response.content.decode()
    teller.refresh_from_db()
    assert teller.branch == first


def test_move_is_scoped(client, teller, manager, supervisor, other_manager):
    url = reverse("staff:move", args=[teller.pk])
    for user, status in ((manager.user, 200), (supervisor, 200), (other_manager.user, 404)):
        client.force_login(user)
        assert client.get(url).status_code == status
