"""A staff record's history in the admin follows the scoping rule like the record itself."""

import pytest
from django.urls import reverse

from staff.services import update_staff
from tests.staff.factories import BranchStaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def theirs(other_manager):
    staff = BranchStaffFactory(branch__manager=other_manager, name="李红", mobile="13800000001")
    update_staff(staff=staff, mobile="13900000002")
    return staff


def _first_version(staff):
    return staff.history.order_by("history_id").first().history_id


def test_a_supervisor_cannot_read_another_teams_staff_history(supervisor_client, theirs):
    history = reverse("admin:staff_branchstaff_history", args=[theirs.pk])
    version = reverse(
        "admin:staff_branchstaff_simple_history", args=[theirs.pk, _first_version(theirs)]
    )
    assert supervisor_client.get(history).status_code == 404
    response = supervisor_client.get(version)
    assert response.status_code == 404
    assert "13800000001" not in response.content.decode()


def test_a_supervisor_cannot_revert_another_teams_staff_record(supervisor_client, theirs):
    version = reverse(
        "admin:staff_branchstaff_simple_history", args=[theirs.pk, _first_version(theirs)]
    )
    response = supervisor_client.post(
        version, {"name": "李红", "mobile": "13800000001", "branch": theirs.branch_id}
    )
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.mobile == "13900000002"


def test_the_supervisor_still_reads_the_teams_history(supervisor_client, manager):
    mine = BranchStaffFactory(branch__manager=manager)
    update_staff(staff=mine, mobile="13900000003")
    response = supervisor_client.get(reverse("admin:staff_branchstaff_history", args=[mine.pk]))
    assert response.status_code == 200


def test_a_superuser_reads_the_history_of_a_deleted_record(admin_client, theirs):
    pk = theirs.pk
    theirs.delete()
    response = admin_client.get(reverse("admin:staff_branchstaff_history", args=[pk]))
    assert response.status_code == 200
