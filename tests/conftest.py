"""The three standing roles every test uses, and clients logged in as each.

- ``manager``: an account manager (AccountManager) in ``supervisor``'s team;
- ``other_manager``: an account manager in another team;
- ``supervisor``: the user who supervises ``manager`` (staff, Supervisor group).
"""

import pytest
from django.contrib.auth.models import Group

from grading.access import MANAGER_GROUP, SUPERVISOR_GROUP
from tests.grading.factories import AccountManagerFactory, UserFactory


@pytest.fixture
def supervisor(db):
    user = UserFactory(username="supervisor", first_name="敏", last_name="周", is_staff=True)
    user.groups.add(Group.objects.get(name=SUPERVISOR_GROUP))
    return user


@pytest.fixture
def manager(db, supervisor):
    profile = AccountManagerFactory(user__username="manager", supervisor=supervisor)
    profile.user.groups.add(Group.objects.get(name=MANAGER_GROUP))
    return profile


@pytest.fixture
def other_supervisor(db):
    user = UserFactory(username="other_supervisor", is_staff=True)
    user.groups.add(Group.objects.get(name=SUPERVISOR_GROUP))
    return user


@pytest.fixture
def other_manager(db, other_supervisor):
    profile = AccountManagerFactory(user__username="other_manager", supervisor=other_supervisor)
    profile.user.groups.add(Group.objects.get(name=MANAGER_GROUP))
    return profile


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


def _client_for(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def manager_client(client, manager):
    return _client_for(client, manager.user)


@pytest.fixture
def other_client(client, other_manager):
    return _client_for(client, other_manager.user)


@pytest.fixture
def supervisor_client(client, supervisor):
    return _client_for(client, supervisor)


@pytest.fixture
def admin_client(client, superuser):
    return _client_for(client, superuser)
