"""Demo grading: the demo managers' levels, the level standards, two assessment periods with
sales figures, and assessments in every state (draft, submitted, approved, rejected).

The people themselves come from accounts/demo.py."""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model

from accounts.models import AccountManager
from grading import services
from grading.models import (
    Assessment,
    AssessmentPeriod,
    Level,
    LevelChange,
    LevelStandard,
    SalesFigure,
)


def seed(log):
    supervisor = get_user_model().objects.get(username="zhou")
    _seed_grading(supervisor, log)


def seed_late(log):
    """Assessments last: their frozen metrics count the visits, trainings and cases that the
    other apps' demo data has just created."""
    supervisor = get_user_model().objects.get(username="zhou")
    periods = {period.name: period for period in AssessmentPeriod.objects.all()}
    _seed_assessments(periods, supervisor, log)


STANDARDS_FROM = datetime.date(2026, 1, 1)
PERIODS = [
    ("2026Q3", datetime.date(2026, 7, 1), datetime.date(2026, 9, 30), False),
    ("2026Q4", datetime.date(2026, 10, 1), datetime.date(2026, 12, 31), True),
]
# employee number -> {period: (premium 元, policies, active branches, 13-month persistency %)}
FIGURES = {
    "YB1001": {"2026Q3": ("520000", 48, 6, "91.5"), "2026Q4": ("300000", 30, 5, "90.0")},
    "YB1002": {"2026Q3": ("260000", 25, 4, "88.0"), "2026Q4": ("230000", 22, 4, "86.5")},
    "YB1003": {"2026Q3": ("15000", 2, 1, None), "2026Q4": ("68000", 8, 2, None)},
    # YB1004 (zhao) has no branches yet, so no sales either.
}


def _standard_defaults(rank):
    """Demo bars that grow with the rank. Visit, training and case bars are left empty: set
    them in the admin once that activity is being logged."""
    defaults = {
        "keep_premium": Decimal(40000 * rank),
        "keep_persistency": Decimal(75) if rank > 1 else None,
    }
    if rank > 1:
        defaults.update(
            promote_premium=Decimal(60000 * rank),
            promote_policies=6 * rank,
            promote_active_branches=rank // 2 + 1,
            promote_persistency=Decimal(80 + rank),
        )
    return defaults


def _seed_grading(supervisor, log):
    for level in Level.objects.all():
        LevelStandard.objects.get_or_create(
            level=level, effective_from=STANDARDS_FROM, defaults=_standard_defaults(level.rank)
        )
    managers = {
        m.employee_number: m for m in AccountManager.objects.select_related("current_level__level")
    }
    wang, li = managers["YB1001"], managers["YB1002"]
    if not wang.level_changes.exists():
        services.place_by_affiliation(
            manager=wang,
            level=Level.objects.get(rank=6),
            previous_employer="某寿险公司上海分公司",
            previous_title="银保客户经理（中级）",
            reason="原单位同级，业绩达到客户经理二级标准",
            approved_by=supervisor,
            effective_on=wang.hire_date,
        )
    if not li.level_changes.exists():
        services.change_level(
            manager=li,
            to_level=Level.objects.get(rank=3),
            reason=LevelChange.Reason.INITIAL,
            effective_on=li.hire_date,
            approved_by=supervisor,
            note="系统上线时按人事档案定级",
        )
    periods = {}
    for name, start, end, is_open in PERIODS:
        periods[name], _created = AssessmentPeriod.objects.get_or_create(
            name=name, defaults={"start": start, "end": end, "is_open": is_open}
        )
    for number, by_period in FIGURES.items():
        for period_name, (premium, policies, branches, persistency) in by_period.items():
            SalesFigure.objects.get_or_create(
                manager=managers[number],
                period=periods[period_name],
                defaults={
                    "premium": Decimal(premium),
                    "policies": policies,
                    "active_branches": branches,
                    "persistency": Decimal(persistency) if persistency else None,
                },
            )


def _seed_assessments(periods, supervisor, log):
    # Decisions are only taken on the assessments created by this run, so a second run
    # changes nothing. Only the ended period (2026Q3) can be decided; its assessments are
    # submitted first, as every decision needs.
    for assessment in services.generate_assessments(period=periods["2026Q3"], user=supervisor):
        number = assessment.manager.employee_number
        services.submit_assessment(assessment=assessment, user=supervisor)
        if number == "YB1002" and assessment.has_recommendation:
            services.approve_assessment(assessment=assessment, user=supervisor)
        else:
            services.reject_assessment(
                assessment=assessment,
                user=supervisor,
                reason="数据待核心系统复核" if number == "YB1001" else "新入职，本期不考核",
            )
    # The open period cannot be decided before it ends: drafts (wang) and submitted ones.
    for assessment in services.generate_assessments(period=periods["2026Q4"], user=supervisor):
        if assessment.manager.employee_number != "YB1001":
            services.submit_assessment(assessment=assessment, user=supervisor)
    states = Assessment.objects.values_list("status", flat=True)
    log(f"{len(states)} assessments ({', '.join(sorted(set(states)))})")
