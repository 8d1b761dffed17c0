import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from branches.models import Branch, Visit
from branches.services import log_visit
from duties.models import Attendance, ChecklistItem, ChecklistTemplate
from duties.services import (
    decide_correction,
    generate_checklist,
    punch,
    record_training,
    request_correction,
    tick_item,
)
from tests.branches.factories import BranchFactory
from tests.duties.factories import ChecklistTemplateFactory, task


def test_a_delivery_visit_ticks_that_branchs_delivery_item(manager, branch, delivery_template):
    other = BranchFactory(manager=manager, tier=Branch.Tier.A)
    generate_checklist(manager=manager)

    log_visit(branch=branch, manager=manager, purposes=[Visit.Purpose.DELIVERY])

    ticked = ChecklistItem.objects.get(branch=branch)
    assert ticked.done and ticked.done_by == ChecklistItem.TickedBy.AUTO
    assert not ChecklistItem.objects.get(branch=other).done


def test_a_visit_ticks_its_item_and_the_days_attendance_item_in_one_update(
    manager, other_manager, branch, delivery_template
):
    ChecklistTemplateFactory(
        task=task("attendance"), fulfilment=ChecklistTemplate.Fulfilment.ATTENDANCE
    )
    other = BranchFactory(manager=manager, tier=Branch.Tier.A)
    generate_checklist(manager=manager)
    generate_checklist(manager=other_manager)

    with CaptureQueriesContext(connection) as queries:
        log_visit(branch=branch, manager=manager, purposes=[Visit.Purpose.DELIVERY])

    done = set(ChecklistItem.objects.filter(done=True).values_list("manager", "template"))
    assert done == {
        (manager.pk, delivery_template.pk),
        (manager.pk, ChecklistTemplate.objects.get(task__code="attendance").pk),
    }
    assert ChecklistItem.objects.get(manager=manager, branch=branch).done
    assert not ChecklistItem.objects.get(manager=manager, branch=other).done
    ticks = [q for q in queries.captured_queries if q["sql"].startswith('UPDATE "duties_check')]
    assert len(ticks) == 1


def test_a_visit_for_another_purpose_ticks_nothing(manager, branch, delivery_template):
    generate_checklist(manager=manager)
    log_visit(branch=branch, manager=manager, purposes=[Visit.Purpose.RELATIONSHIP])
    assert not ChecklistItem.objects.get().done


def test_a_training_ticks_the_training_item(manager, branch):
    ChecklistTemplateFactory(
        task=task("branch-training"),
        frequency=ChecklistTemplate.Frequency.MONTHLY,
        per_branch=True,
        fulfilment=ChecklistTemplate.Fulfilment.TRAINING,
    )
    generate_checklist(manager=manager)
    record_training(
        manager=manager, kind="branch", branches=[branch], topics=["product"], duration_minutes=45
    )
    assert ChecklistItem.objects.get(branch=branch).done


def test_attendance_ticks_the_attendance_item_but_absence_does_not(manager, supervisor):
    ChecklistTemplateFactory(
        task=task("attendance"), fulfilment=ChecklistTemplate.Fulfilment.ATTENDANCE
    )
    generate_checklist(manager=manager)
    today = timezone.localdate()
    absent = request_correction(
        manager=manager, requested_by=manager.user, date=today, status="absent", reason="病了"
    )
    decide_correction(correction=absent, decided_by=supervisor, approve=True)
    assert not ChecklistItem.objects.get().done
    Attendance.objects.all().delete()
    punch(manager=manager)
    assert ChecklistItem.objects.get().done
    assert Attendance.objects.get().check_in_at is not None


def test_ticking_by_hand_keeps_the_note(manager, daily_log_template):
    generate_checklist(manager=manager)
    item = tick_item(item=ChecklistItem.objects.get(), note="写完了")
    item.refresh_from_db()
    assert item.done and item.done_by == ChecklistItem.TickedBy.HAND and item.note == "写完了"


def test_a_record_fulfilled_item_needs_a_note_to_tick_by_hand(manager, branch, delivery_template):
    generate_checklist(manager=manager)
    item = ChecklistItem.objects.get()
    with pytest.raises(ValidationError):
        tick_item(item=item, note="  ")
    item.refresh_from_db()
    assert not item.done


def test_a_past_item_stays_as_it_was(manager, daily_log_template):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    item = ChecklistItem.objects.create(
        manager=manager,
        date=yesterday,
        due_on=yesterday,
        task=daily_log_template.task,
        template=daily_log_template,
    )
    with pytest.raises(ValidationError):
        tick_item(item=item, note="补")
    item.refresh_from_db()
    assert not item.done


def test_a_late_record_leaves_a_closed_day_as_it_was(manager, branch):
    template = ChecklistTemplateFactory(
        task=task("attendance"), fulfilment=ChecklistTemplate.Fulfilment.ATTENDANCE
    )
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    closed = ChecklistItem.objects.create(
        manager=manager, date=yesterday, due_on=yesterday, task=template.task, template=template
    )
    correction = request_correction(
        manager=manager,
        requested_by=manager.user,
        date=yesterday,
        status=Attendance.Status.OFFICE,
        check_in_at=datetime.time(9, 0),
        reason="忘了打卡",
    )
    decide_correction(correction=correction, decided_by=manager.supervisor, approve=True)
    assert Attendance.objects.get(date=yesterday).status == Attendance.Status.OFFICE
    closed.refresh_from_db()
    assert not closed.done


def test_a_late_visit_still_ticks_an_item_whose_period_is_open(manager, branch, delivery_template):
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    open_item = ChecklistItem.objects.create(
        manager=manager,
        date=yesterday,
        due_on=today + datetime.timedelta(days=5),
        task=delivery_template.task,
        template=delivery_template,
        branch=branch,
    )
    earlier = timezone.make_aware(datetime.datetime.combine(yesterday, datetime.time(10)))
    log_visit(branch=branch, manager=manager, purposes=["delivery"], visited_at=earlier)
    open_item.refresh_from_db()
    assert open_item.done


@pytest.fixture
def visit_template(db):
    """拜访网点 at every tier-A branch weekly, as the shipped templates have it."""
    return ChecklistTemplateFactory(
        task=task("visit-branch"),
        frequency=ChecklistTemplate.Frequency.WEEKLY,
        branch_tier=Branch.Tier.A,
        fulfilment=ChecklistTemplate.Fulfilment.VISIT,
        visit_purpose=Visit.Purpose.RELATIONSHIP,
    )


def test_a_visit_logged_for_a_delivery_ticks_the_visit_item_too(
    manager, branch, delivery_template, visit_template
):
    generate_checklist(manager=manager)
    log_visit(branch=branch, manager=manager, purposes=[Visit.Purpose.DELIVERY])
    assert {item.task.code: item.done for item in ChecklistItem.objects.all()} == {
        "deliver-materials": True,
        "visit-branch": True,
    }


def test_a_delivery_visit_before_the_checklist_existed_starts_it_ticked(
    manager, branch, visit_template
):
    log_visit(branch=branch, manager=manager, purposes=[Visit.Purpose.DELIVERY])
    generate_checklist(manager=manager)
    assert ChecklistItem.objects.get().done


def test_a_briefing_passed_on_ticks_the_policy_item(manager, branch):
    from duties.services import record_delivery
    from tests.duties.factories import PolicyBriefingFactory

    ChecklistTemplateFactory(
        task=task("pass-on-policy"),
        frequency=ChecklistTemplate.Frequency.MONTHLY,
        fulfilment=ChecklistTemplate.Fulfilment.BRIEFING,
    )
    generate_checklist(manager=manager)
    assert not ChecklistItem.objects.get().done
    record_delivery(briefing=PolicyBriefingFactory(), branch=branch, manager=manager)
    item = ChecklistItem.objects.get()
    assert item.done and item.done_by == ChecklistItem.TickedBy.AUTO


@pytest.mark.shipped_templates
@pytest.mark.django_db
def test_the_shipped_policy_template_waits_for_a_briefing():
    """The data migration moved the shipped 宣导公司政策 template off ticking by hand."""
    shipped = ChecklistTemplate.objects.filter(task__code="pass-on-policy")
    assert shipped.exists()
    assert set(shipped.values_list("fulfilment", flat=True)) == {"briefing"}


def test_a_delivery_item_offers_to_record_the_delivery(
    manager_client, manager, branch, delivery_template
):
    from django.urls import reverse

    generate_checklist(manager=manager)
    page = manager_client.get(reverse("duties:today")).text
    assert f'href="{reverse("documents:delivery", args=[branch.pk])}"' in page
    assert "登记配送" in page
