import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.access import MANAGER_GROUP, SUPERVISOR_GROUP

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


@pytest.mark.django_db
def test_supervisors_hold_only_the_grading_permissions_they_need():
    codenames = set(
        Group.objects.get(name=SUPERVISOR_GROUP)
        .permissions.filter(content_type__app_label="grading")
        .values_list("codename", flat=True)
    )
    assert codenames == {
        "view_level",
        "view_levelstandard",
        "add_levelstandard",
        "change_levelstandard",
        "view_assessmentperiod",
        "view_salesfigure",
        "add_salesfigure",
        "change_salesfigure",
        "view_assessment",
        "add_assessment",
        "change_assessment",
        "view_levelchange",
    }
    # The manager profile moved to accounts; the grants on it followed it there.
    assert set(
        Group.objects.get(name=SUPERVISOR_GROUP)
        .permissions.filter(content_type__app_label="accounts")
        .values_list("codename", flat=True)
    ) == {"view_accountmanager", "change_accountmanager"}


@pytest.mark.django_db
def test_a_supervisor_cannot_write_level_history_by_hand(supervisor_client, manager):
    response = supervisor_client.get(reverse("admin:grading_levelchange_add"))
    assert response.status_code == 403
