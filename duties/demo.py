"""Demo checklist templates, a week of checklists, trainings, briefings and attendance."""

import datetime

from django.utils import timezone

from accounts.models import AccountManager
from branches.models import Branch, Visit
from duties import services
from duties.models import (
    Attendance,
    BriefingDelivery,
    ChecklistItem,
    ChecklistTemplate,
    DutyTask,
    PolicyBriefing,
    TrainingSession,
)

Frequency = ChecklistTemplate.Frequency
Fulfilment = ChecklistTemplate.Fulfilment

# task code, frequency, tier, per branch, fulfilled by, visit purpose
TEMPLATES = [
    ("attendance", Frequency.DAILY, "", False, Fulfilment.ATTENDANCE, ""),
    ("daily-log", Frequency.DAILY, "", False, Fulfilment.WORK_LOG, ""),
    ("visit-branch", Frequency.WEEKLY, "A", True, Fulfilment.VISIT, Visit.Purpose.RELATIONSHIP),
    ("deliver-materials", Frequency.WEEKLY, "A", True, Fulfilment.VISIT, Visit.Purpose.DELIVERY),
    ("collect-forms", Frequency.WEEKLY, "", False, Fulfilment.VISIT, Visit.Purpose.COLLECTION),
    ("visit-branch", Frequency.MONTHLY, "B", True, Fulfilment.VISIT, Visit.Purpose.RELATIONSHIP),
    ("branch-training", Frequency.MONTHLY, "", True, Fulfilment.TRAINING, ""),
    ("pass-on-policy", Frequency.MONTHLY, "", False, Fulfilment.BRIEFING, ""),
    (
        "consultation-day",
        Frequency.MONTHLY,
        "",
        False,
        Fulfilment.VISIT,
        Visit.Purpose.CONSULTATION,
    ),
]

BRIEFINGS = [
    (
        PolicyBriefing.Category.NEW_PRODUCT,
        "鑫享年金新险种上柜",
        "三年交、五年交两档，突出保单贷款功能。",
    ),
    (
        PolicyBriefing.Category.COMPETITION,
        "四季度网点销售竞赛方案",
        "按网点期交保费排名，前十名网点奖励。",
    ),
    (
        PolicyBriefing.Category.INVESTMENT_RETURN,
        "上年度万能账户结算利率",
        "结算利率保持稳定，可向理财经理说明。",
    ),
    (
        PolicyBriefing.Category.SALES_SCRIPT,
        "养老规划销售话术",
        "从子女教育和养老缺口切入，不夸大收益。",
    ),
]


def _templates():
    for code, frequency, tier, per_branch, fulfilment, purpose in TEMPLATES:
        ChecklistTemplate.objects.get_or_create(
            task=DutyTask.objects.get(code=code),
            frequency=frequency,
            branch_tier=tier,
            defaults={"per_branch": per_branch, "fulfilment": fulfilment, "visit_purpose": purpose},
        )


def _week_of_checklists(managers, today):
    for offset in range(6, -1, -1):
        day = today - datetime.timedelta(days=offset)
        for manager in managers:
            services._create_items(manager, day)
    # Most of the past week's work got done; deterministic so a second run changes nothing.
    past = ChecklistItem.objects.filter(manager__in=managers, due_on__lt=today, done=False)
    for item in past:
        if item.pk % 4:
            item.done = True
            item.done_by = ChecklistItem.TickedBy.HAND
            item.done_at = timezone.make_aware(
                datetime.datetime.combine(item.due_on, datetime.time(17))
            )
            item.note = "演示数据"
            item.save(update_fields=["done", "done_by", "done_at", "note"])


def _trainings(managers, today):
    for index, manager in enumerate(managers):
        branches = list(Branch.objects.filter(manager=manager, is_active=True)[:3])
        if not branches:
            continue
        held_on = today - datetime.timedelta(days=2 + index)
        if not TrainingSession.objects.filter(manager=manager, held_on=held_on).exists():
            services.record_training(
                manager=manager,
                kind=TrainingSession.Kind.BRANCH,
                branches=branches[:1],
                topics=[TrainingSession.Topic.PRODUCT, TrainingSession.Topic.SKILLS],
                held_on=held_on,
                duration_minutes=45,
                head_count=6,
                feedback="柜员对新产品卖点掌握较好，需再练异议处理。",
            )
        held_on = today - datetime.timedelta(days=9)
        if (
            len(branches) > 1
            and not TrainingSession.objects.filter(manager=manager, held_on=held_on).exists()
        ):
            services.record_training(
                manager=manager,
                kind=TrainingSession.Kind.CENTRALISED,
                trainer_kind=TrainingSession.Trainer.LECTURER,
                trainer_name="总公司讲师",
                branches=branches,
                topics=[TrainingSession.Topic.AFTER_SALE, TrainingSession.Topic.SURRENDER],
                held_on=held_on,
                duration_minutes=120,
                head_count=18,
            )


def _briefings(managers, today):
    briefings = []
    for category, title, body in BRIEFINGS:
        briefing, _created = PolicyBriefing.objects.get_or_create(
            title=title,
            defaults={
                "category": category,
                "body": body,
                "valid_from": today - datetime.timedelta(days=20),
                "valid_to": today + datetime.timedelta(days=60),
            },
        )
        briefings.append(briefing)
    for manager in managers:
        branch = Branch.objects.filter(manager=manager, is_active=True).first()
        if branch is None:
            continue
        for briefing in briefings[:2]:
            if not BriefingDelivery.objects.filter(briefing=briefing, branch=branch).exists():
                services.record_delivery(
                    briefing=briefing,
                    branch=branch,
                    manager=manager,
                    delivered_at=timezone.now() - datetime.timedelta(days=3),
                )


def _attendance(managers, today):
    statuses = [Attendance.Status.FIELD, Attendance.Status.FIELD, Attendance.Status.OFFICE]
    for offset in range(1, 8):
        day = today - datetime.timedelta(days=offset)
        if day.weekday() >= 5:
            continue
        for index, manager in enumerate(managers):
            status = statuses[(offset + index) % len(statuses)]
            if index == 2 and offset == 3:
                status = Attendance.Status.LEAVE
            Attendance.objects.get_or_create(
                manager=manager,
                date=day,
                defaults={
                    "status": status,
                    "check_in_at": None
                    if status == Attendance.Status.LEAVE
                    else datetime.time(8, 50),
                },
            )


def seed(log):
    today = timezone.localdate()
    managers = list(
        AccountManager.objects.filter(employee_number__in=["YB1001", "YB1002", "YB1003"])
    )
    _templates()
    _briefings(managers, today)
    _trainings(managers, today)
    _attendance(managers, today)
    _week_of_checklists(managers, today)
    log(
        f"{ChecklistTemplate.objects.count()} checklist templates, "
        f"{ChecklistItem.objects.count()} checklist items, "
        f"{TrainingSession.objects.count()} trainings, {PolicyBriefing.objects.count()} briefings"
    )
