"""The single scoping rule: own branches, the team's, everything for a superuser, else 404."""

import pytest
from django.http import Http404

from accounts.access import get_for_user, is_supervisor, scoped
from accounts.models import AccountManager
from branches.models import Branch
from tests.branches.factories import BranchFactory, VisitFactory
from tests.grading.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_manager_sees_only_their_own_branches(manager, other_manager):
    mine = BranchFactory(manager=manager)
    BranchFactory(manager=other_manager)
    assert list(Branch.objects.for_user(manager.user)) == [mine]


def test_a_supervisor_sees_their_teams_branches_only(manager, other_manager, supervisor):
    mine = BranchFactory(manager=manager)
    BranchFactory(manager=other_manager)
    assert list(Branch.objects.for_user(supervisor)) == [mine]
    assert is_supervisor(supervisor)


def test_a_superuser_sees_everything(manager, other_manager, superuser):
    BranchFactory(manager=manager)
    BranchFactory(manager=other_manager)
    assert Branch.objects.for_user(superuser).count() == 2


def test_a_user_with_no_role_sees_nothing(manager):
    BranchFactory(manager=manager)
    assert not Branch.objects.for_user(UserFactory()).exists()


def test_it_scopes_objects_under_a_branch(manager, other_manager):
    VisitFactory(branch__manager=manager)
    theirs = VisitFactory(branch__manager=other_manager)
    from branches.models import Visit

    assert theirs not in Visit.objects.for_user(manager.user)
    with pytest.raises(Http404):
        Visit.objects.get_for_user(manager.user, pk=theirs.pk)


def test_it_scopes_managers_themselves(manager, other_manager, supervisor):
    # A manager sees their own profile only; their supervisor sees the team.
    assert list(scoped(AccountManager.objects.all(), manager.user, "")) == [manager]
    assert list(scoped(AccountManager.objects.all(), supervisor, "")) == [manager]
    with pytest.raises(Http404):
        get_for_user(AccountManager.objects.all(), supervisor, "", pk=other_manager.pk)
    assert get_for_user(AccountManager.objects.all(), supervisor, "", pk=manager.pk) == manager


def test_it_answers_404_for_another_managers_branch(manager_client, other_manager):
    theirs = BranchFactory(manager=other_manager)
    assert manager_client.get(f"/branches/{theirs.pk}/").status_code == 404


def test_it_shows_the_branch_to_its_supervisor(supervisor_client, manager):
    mine = BranchFactory(manager=manager, name="陆家嘴支行")
    response = supervisor_client.get(f"/branches/{mine.pk}/")
    assert response.status_code == 200
    assert "陆家嘴支行" in response.content.decode()
