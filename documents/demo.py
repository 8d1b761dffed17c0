"""Demo stock in every state (ok, low, out, at risk), serial ranges and intake batches.

Idempotent: a branch that already has stock, a range or a batch is left alone, so running
``seed_demo`` twice creates nothing new. Everything is written through the services, so
``check_stock`` passes on the demo data.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from accounts.models import AccountManager
from branches.models import Branch
from documents import services
from documents.models import BranchStock, Handover, IntakeBatch, SerialRange, StockItem

DEMO_MANAGERS = ["YB1001", "YB1002", "YB1003"]
USAGE_EVERY_DAYS = 3  # usage is recorded at visits, not daily


def _days_ago(days, hour=10):
    moment = timezone.localtime() - datetime.timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


def _stock(branch, code, delivered, used, user, delivered_days_ago=25, used_over_days=20):
    item = StockItem.objects.get(code=code)
    services.record_delivery(
        branch=branch, lines=[(item, delivered)], user=user, when=_days_ago(delivered_days_ago)
    )
    stock = BranchStock.objects.get(branch=branch, item=item)
    if used:
        # Spread over the last days as a manager records it, at a visit every few days, so
        # the 30-day average is realistic and the ledger reads like one.
        days = list(range(1, used_over_days + 1, USAGE_EVERY_DAYS))[:used]
        for position, day in enumerate(days):
            share = used // len(days) + (1 if position < used % len(days) else 0)
            services.record_usage(
                branch_stock=stock, quantity=share, user=user, when=_days_ago(day, hour=16)
            )
    return stock


def _seed_stock(branch, user, scenario):
    if BranchStock.objects.filter(branch=branch).exists():
        return False
    # A healthy baseline at every branch.
    _stock(branch, "brochure", 300, 30, user)
    _stock(branch, "poster" if branch.posters_allowed else "display_board", 4, 0, user)
    if scenario == "ok":
        _stock(branch, "application_form", 300, 60, user)
    elif scenario == "low":
        _stock(branch, "summary_sheet", 25, 10, user)  # 15 left, threshold 20
    elif scenario == "out":
        _stock(branch, "promotional_material", 40, 40, user)
    elif scenario == "at_risk":
        # 60 left (above the threshold of 50) at 17 a day: 3.5 days of cover, under a week.
        _stock(branch, "application_form", 400, 340, user)
    return True


def _seed_intake(branch, manager, first_number):
    user = manager.user
    if not SerialRange.objects.filter(first_number=first_number).exists():
        services.issue_serial_range(
            branch=branch,
            item=StockItem.objects.get(code="application_form"),
            first_number=first_number,
            last_number=first_number + 99,
            user=user,
            when=_days_ago(28),
        )
    if IntakeBatch.objects.filter(branch=branch).exists():
        return
    serials = [str(first_number + offset) for offset in range(5)]
    batch = services.collect_forms(
        branch=branch, serials=serials, user=user, when=_days_ago(3), note="周一收取"
    )
    forms = list(batch.forms.order_by("serial_form__number"))
    good = {
        "signatures_present": True,
        "id_copy_attached": True,
        "bank_account_filled": True,
        "applicant_age": 45,
        "annual_premium": Decimal("20000"),
        "stated_income": Decimal("150000"),
    }
    # forms[0] stays collected; [1] passed; [2] returned; [3] registered; [4] handed over.
    services.review_form(intake_form=forms[1], user=user, applicant_name="陈静", **good)
    services.review_form(
        intake_form=forms[2],
        user=user,
        applicant_name="刘洋",
        **{**good, "id_copy_attached": False},
    )
    services.review_form(intake_form=forms[3], user=user, applicant_name="赵敏", **good)
    services.register_form(intake_form=forms[3], user=user)
    services.review_form(
        intake_form=forms[4], user=user, applicant_name="孙磊", **{**good, "applicant_age": 68}
    )
    services.register_form(intake_form=forms[4], user=user)
    slip = f"GD-DEMO-{first_number}"
    if not Handover.objects.filter(slip_number=slip).exists():
        services.hand_over(
            intake_forms=[forms[4]],
            manager=manager,
            user=user,
            received_by="归档扫描组 吴老师",
            slip_number=slip,
        )
    # A voided and a lost form, so the reconciliation has something to show.
    for offset, status in ((10, "voided"), (11, "lost")):
        form = SerialRange.objects.get(first_number=first_number).forms.get(
            number=first_number + offset
        )
        if form.status == "issued":
            services.set_serial_status(serial_form=form, status=status)


def seed(log):
    scenarios = ["ok", "low", "out", "at_risk"]
    created = 0
    managers = AccountManager.objects.filter(employee_number__in=DEMO_MANAGERS).order_by(
        "employee_number"
    )
    for index, manager in enumerate(managers):
        branches = list(
            Branch.objects.filter(manager=manager).select_related("bank").order_by("code")[:4]
        )
        for branch, scenario in zip(branches, scenarios, strict=False):
            created += _seed_stock(branch, manager.user, scenario)
        if branches:
            _seed_intake(branches[0], manager, 1_000_000 + index * 1000)
        if branches and not branches[0].placements.exists():
            item = "poster" if branches[0].posters_allowed else "display_board"
            services.place_item(
                branch=branches[0],
                item=StockItem.objects.get(code=item),
                location="大堂入口左侧",
                user=manager.user,
            )
    log(
        f"stock at {created} more branches; {BranchStock.objects.count()} branch items, "
        f"{SerialRange.objects.count()} serial ranges, {IntakeBatch.objects.count()} intake batches"
    )
