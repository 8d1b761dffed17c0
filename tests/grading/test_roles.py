import pytest
from django.contrib.auth.models import Group

from grading.access import MANAGER_GROUP, SUPERVISOR_GROUP

pytestmark = pytest.mark.django_db


def test_the_two_roles_exist_with_their_permissions():
    manager = set(
        Group.objects.get(name=MANAGER_GROUP).permissions.values_list("codename", flat=True)
    )
    supervisor = set(
        Group.objects.get(name=SUPERVISOR_GROUP).permissions.values_list("codename", flat=True)
    )
    assert {"view_branch", "add_visit", "add_branchstaff"} <= manager
    assert {"view_branch", "view_accountmanager", "view_historicalbranchstaff"} <= supervisor
    # Managers record visits; supervisors review them but do not log visits themselves.
    assert "add_visit" not in supervisor
