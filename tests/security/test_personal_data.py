"""Personal data: phones masked on lists and in exports, complete change history.

A full phone number is shown only on the one record it belongs to (to call or correct it);
every list, dashboard and export shows 138****5678, whoever asks. That no page or download a
role opens shows a known full
number is checked by the URL walk (tests/security/page_checks.py: full_phones, run on every
page of tests/security/test_url_walk.py); here, single pages, exports and the history.
"""

import datetime

import pytest
import tablib
from django.urls import reverse
from django.utils import timezone

from core.validators import mask_phone
from grading import services as grading
from grading.models import Assessment, AssessmentPeriod, LevelChange
from staff.models import BranchStaff
from staff.resources import BranchStaffResource
from tests.grading.factories import level
from tests.security.test_url_walk import World

pytestmark = pytest.mark.django_db

# The world's period is 2026Q4; decisions are taken once it is over.
AFTER_THE_PERIOD = datetime.date(2027, 1, 1)


@pytest.fixture
def world(manager, other_manager, superuser):
    return World(manager, other_manager, superuser)


def test_the_branch_page_lists_its_staff_with_masked_phones(manager_client, world):
    staff = world.mine["staff"]
    page = manager_client.get(reverse("branches:detail", args=[staff.branch_id])).content.decode()
    assert staff.name in page
    assert mask_phone(staff.mobile) in page
    assert staff.mobile not in page


def test_the_admin_lists_managers_with_masked_phones(admin_client, manager):
    page = admin_client.get(reverse("admin:accounts_accountmanager_changelist")).content.decode()
    assert mask_phone(manager.mobile) in page
    assert manager.mobile not in page


def test_the_staff_export_masks_phones(world, supervisor):
    staff = world.mine["staff"]
    exported = BranchStaffResource(user=supervisor).export(BranchStaff.objects.filter(pk=staff.pk))
    assert exported.dict[0]["mobile"] == mask_phone(staff.mobile)
    assert staff.mobile not in exported.csv


def test_reimporting_an_export_keeps_the_number_on_record(world, manager):
    staff = world.mine["staff"]
    branch = staff.branch
    rows = tablib.Dataset(headers=["bank", "branch_code", "name", "role", "mobile", "hobbies"])
    rows.append([branch.bank.name, branch.code, staff.name, staff.role, "138****0000", "钓鱼"])
    result = BranchStaffResource(user=manager.user).import_data(rows, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    staff.refresh_from_db()
    assert staff.hobbies == "钓鱼"
    assert staff.mobile == world.mine["staff"].mobile


# --- History -------------------------------------------------------------------------------


def test_every_change_to_a_staff_record_is_kept_with_who_made_it(manager_client, manager, world):
    staff = world.mine["staff"]
    before = staff.mobile
    for mobile in ("13911112222", "13933334444"):
        response = manager_client.post(
            reverse("staff:edit", args=[staff.pk]),
            {"name": staff.name, "role": staff.role, "mobile": mobile, "is_active": "on"},
        )
        assert response.status_code == 302
    history = list(staff.history.order_by("history_date", "history_id"))
    assert [h.mobile for h in history] == [before, "13911112222", "13933334444"]
    assert [h.history_type for h in history] == ["+", "~", "~"]
    assert {h.history_user for h in history[1:]} == {manager.user}


def test_moving_a_staff_member_is_in_the_history_too(manager_client, manager, world):
    staff = world.mine["staff"]
    elsewhere = type(staff.branch).objects.create(
        bank=staff.branch.bank, name="新网点", code="NEW01", manager=manager
    )
    response = manager_client.post(
        reverse("staff:move", args=[staff.pk]),
        {"branch": elsewhere.pk, "role": staff.role, "on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302
    latest = staff.history.order_by("-history_id").first()
    assert latest.branch_id == elsewhere.pk
    assert latest.history_user == manager.user
    assert staff.postings.count() == 2  # the old posting ended, the new one began


def test_every_grading_decision_says_who_decided_when_and_why(
    client, manager, supervisor, superuser, world
):
    assessment = world.mine["assessment"]
    # The world's period is 2026Q4; its figures were declared final on 11-30.
    AssessmentPeriod.objects.filter(pk=assessment.period_id).update(
        closes_on=datetime.date(2026, 11, 30)
    )
    grading.submit_assessment(assessment=assessment, user=supervisor)
    client.force_login(supervisor)
    override = level(3)
    url = reverse("admin:grading_assessment_change", args=[assessment.pk])
    response = client.post(
        url,
        {
            "manager": manager.pk,
            "period": assessment.period_id,
            "decided_level": override.pk,
            "override_reason": "大客户跟踪成效突出",
            "_approve": "1",
        },
    )
    assert response.status_code == 302
    assessment.refresh_from_db()
    # An override waits for a second approval, which a superuser gives.
    assert assessment.status == Assessment.Status.AWAITING_SECOND
    client.force_login(superuser)
    assert client.post(url, {"_approve": "1"}).status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.APPROVED
    assert (assessment.decided_by, assessment.override_reason) == (supervisor, "大客户跟踪成效突出")
    assert (assessment.second_approved_by, assessment.decided_at is not None) == (superuser, True)
    steps = list(assessment.history.values_list("action", "by", "reason"))
    assert steps == [
        ("submit", supervisor.pk, ""),
        ("await_second", supervisor.pk, "大客户跟踪成效突出"),
        ("second_approve", superuser.pk, "大客户跟踪成效突出"),
    ]
    change = LevelChange.objects.get(assessment=assessment)
    assert (change.to_level, change.approved_by, change.note) == (
        override,
        superuser,
        "大客户跟踪成效突出",
    )


def test_the_level_history_explains_the_current_level(manager, superuser, world):
    for rank in (4, 2):
        grading.change_level(
            manager=manager,
            to_level=level(rank),
            reason=LevelChange.Reason.CORRECTION,
            effective_on=datetime.date(2026, 11, 1),
            approved_by=superuser,
        )
    manager.refresh_from_db()
    changes = list(manager.level_changes.order_by("pk"))
    # Each change starts where the previous one ended, and the last ends at today's level.
    for earlier, later in zip(changes, changes[1:], strict=False):
        assert later.from_level_id == earlier.to_level_id
    assert changes[-1].to_level_id == manager.current_level.level_id
    assert all(change.approved_by_id for change in changes)


def test_a_rejection_is_kept_with_who_rejected_it(manager, supervisor, world):
    assessment = grading.submit_assessment(assessment=world.mine["assessment"], user=supervisor)
    rejected = grading.reject_assessment(
        assessment=assessment, user=supervisor, reason="数据待核", today=AFTER_THE_PERIOD
    )
    assert (rejected.status, rejected.decided_by, rejected.override_reason) == (
        Assessment.Status.REJECTED,
        supervisor,
        "数据待核",
    )
    assert rejected.decided_at is not None


def test_rejecting_after_a_recorded_override_keeps_the_override_reason(manager, supervisor, world):
    # Found by Hypothesis: "save" an override with its reason, then "reject", used to break
    # the override-needs-a-reason constraint (a 500 in the admin).
    assessment = grading.submit_assessment(assessment=world.mine["assessment"], user=supervisor)
    grading.record_decision(
        assessment=assessment, user=supervisor, level=level(5), reason="业绩突出"
    )
    rejected = grading.reject_assessment(
        assessment=assessment, user=supervisor, reason="数据待核", today=AFTER_THE_PERIOD
    )
    assert rejected.status == Assessment.Status.REJECTED
    assert rejected.decided_by == supervisor
