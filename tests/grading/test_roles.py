import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from grading.access import SUPERVISOR_GROUP


@pytest.mark.django_db
def test_supervisors_hold_only_the_grading_permissions_they_need():
    codenames = set(
        Group.objects.get(name=SUPERVISOR_GROUP)
        .permissions.filter(content_type__app_label="grading")
        .values_list("codename", flat=True)
    )
    assert codenames == {
        "view_accountmanager",
        "change_accountmanager",
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


@pytest.mark.django_db
def test_a_supervisor_cannot_write_level_history_by_hand(supervisor_client, manager):
    response = supervisor_client.get(reverse("admin:grading_levelchange_add"))
    assert response.status_code == 403
