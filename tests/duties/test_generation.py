import datetime

import pytest
from django.utils import timezone

from branches.models import Branch, Visit
from duties.models import ChecklistItem, ChecklistTemplate
from duties.services import generate_checklist, period_of
from tests.branches.factories import BranchFactory, VisitFactory
from tests.duties.factories import AttendanceFactory, ChecklistTemplateFactory, task


def test_it_generates_once_however_often_it_runs(manager, branch, delivery_template):
    ChecklistTemplateFactory(task=task("daily-log"))
    assert generate_checklist(manager=manager) == 2
    assert generate_checklist(manager=manager) == 0
    assert ChecklistItem.objects.filter(manager=manager).count() == 2


def test_it_makes_one_item_per_active_branch_of_the_tier(manager, delivery_template):
    tier_a = BranchFactory.create_batch(3, manager=manager, tier=Branch.Tier.A)
    BranchFactory(manager=manager, tier=Branch.Tier.B)
    BranchFactory(manager=manager, tier=Branch.Tier.A, is_active=False)
    BranchFactory(tier=Branch.Tier.A)  # someone else's

    generate_checklist(manager=manager)

    items = ChecklistItem.objects.filter(manager=manager)
    assert {item.branch_id for item in items} == {branch.pk for branch in tier_a}


def test_a_weekly_item_spans_its_week(manager, branch, delivery_template):
    today = timezone.localdate()
    generate_checklist(manager=manager, day=today)
    item = ChecklistItem.objects.get()
    assert (item.date, item.due_on) == period_of("weekly", today)
    assert item.date.weekday() == 0 and (item.due_on - item.date).days == 6
    # Opening the checklist again later in the week adds nothing.
    generate_checklist(manager=manager, day=item.due_on)
    assert ChecklistItem.objects.count() == 1


def test_a_monthly_template_makes_one_item_per_month(manager):
    ChecklistTemplateFactory(
        task=task("collect-branch-data"), frequency=ChecklistTemplate.Frequency.MONTHLY
    )
    generate_checklist(manager=manager)
    item = ChecklistItem.objects.get()
    assert item.date.day == 1 and item.due_on.month == item.date.month


def test_it_leaves_past_days_as_they_were(manager, daily_log_template):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    assert generate_checklist(manager=manager, day=yesterday) == 0
    assert not ChecklistItem.objects.exists()


def test_inactive_templates_and_tasks_make_nothing(manager):
    ChecklistTemplateFactory(is_active=False)
    inactive = task("coaching")
    inactive.is_active = False
    inactive.save()
    ChecklistTemplateFactory(task=inactive)
    assert generate_checklist(manager=manager) == 0


def test_a_record_made_before_the_item_ticks_it_at_creation(manager, branch, delivery_template):
    VisitFactory(branch=branch, purposes=[Visit.Purpose.DELIVERY])
    ChecklistTemplateFactory(
        task=task("attendance"), fulfilment=ChecklistTemplate.Fulfilment.ATTENDANCE
    )
    AttendanceFactory(manager=manager)

    generate_checklist(manager=manager)

    assert ChecklistItem.objects.filter(done=True, done_by="auto").count() == 2


@pytest.mark.django_db
def test_the_checklist_item_is_unique_even_without_a_branch(manager, daily_log_template):
    from django.db import IntegrityError, transaction

    generate_checklist(manager=manager)
    item = ChecklistItem.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        ChecklistItem.objects.create(
            manager=manager, date=item.date, due_on=item.due_on, task=item.task
        )


def test_the_morning_task_generates_for_every_active_manager(
    manager, other_manager, daily_log_template
):
    from duties.tasks import generate_daily_checklists
    from tests.grading.factories import AccountManagerFactory

    AccountManagerFactory(is_active=False)
    assert generate_daily_checklists.delay().get() == 2
    assert generate_daily_checklists.delay().get() == 0
    assert {item.manager for item in ChecklistItem.objects.all()} == {manager, other_manager}
