"""Demo products, monthly plan targets and a year of policies, so every page shows progress.

Deterministic (a fixed random seed) and idempotent: products and targets are get_or_create,
policies are made only for a branch that has none yet. Policies go through the same feed
import the insurer's file uses.
"""

import calendar
import datetime
import random
from decimal import Decimal

from django.utils import timezone

from branches.models import Branch, PlanTarget
from sales.models import Policy, Product
from sales.services import import_policies
from sales.validators import _CHECK, _WEIGHTS

PRODUCTS = [
    ("XHNJ05", "鑫享年金保险（5年交）", Product.Kind.REGULAR, 5, "0.5"),
    ("XHNJ10", "鑫享年金保险（10年交）", Product.Kind.REGULAR, 10, "1.0"),
    ("ZSSB20", "终身寿险（20年交）", Product.Kind.REGULAR, 20, "1.2"),
    ("JMC01", "金满仓两全保险（趸交）", Product.Kind.SINGLE, 1, "0.1"),
    ("AXLC01", "安享理财型万能险（趸交）", Product.Kind.SINGLE, 1, "0.05"),
]
FAMILY = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"
HEADER = (
    "policy_number,product_code,bank,branch_code,staff,applicant_name,applicant_id_number,"
    "applicant_phone,premium,signed_on,effective_on,status,status_changed_on"
)


def _id_number(rng):
    body = f"3101{rng.randint(10, 99)}19{rng.randint(50, 99)}{rng.randint(1, 12):02d}"
    body += f"{rng.randint(1, 28):02d}{rng.randint(100, 999)}"
    return body + _CHECK[sum(int(d) * w for d, w in zip(body, _WEIGHTS, strict=True)) % 11]


def _month_end(day):
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def seed(log):
    today = timezone.localdate()
    for code, name, kind, years, factor in PRODUCTS:
        Product.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "kind": kind,
                "payment_years": years,
                "standard_factor": Decimal(factor),
                "on_sale_from": datetime.date(today.year - 2, 1, 1),
            },
        )
    rng = random.Random(15)
    branches = list(Branch.objects.select_related("bank").prefetch_related("staff"))
    months = [datetime.date(today.year, m, 1) for m in range(1, today.month + 1)]
    # Last year too, so 13-month persistency has a cohort.
    months = [datetime.date(today.year - 1, m, 1) for m in range(1, 13)] + months
    rows = []
    for index, branch in enumerate(branches):
        monthly = Decimal(rng.choice([300_000, 500_000, 800_000, 1_200_000]))
        for month in months:
            PlanTarget.objects.get_or_create(
                branch=branch,
                period_start=month,
                defaults={
                    "period_end": _month_end(month),
                    "premium_target": monthly,
                    "policy_count_target": int(monthly / 40_000),
                    "competition_scheme": "开门红竞赛" if month.month <= 3 else "",
                },
            )
        if Policy.objects.filter(branch=branch).exists():
            continue
        staff = [person.name for person in branch.staff.all()] or [""]
        # Branches differ: some run ahead of plan, some fall behind (the dashboard's list).
        pace = [0.4, 0.7, 0.95, 1.2][index % 4]
        for month in months:
            last = today if month.replace(day=1) == today.replace(day=1) else _month_end(month)
            wanted = monthly * Decimal(pace) * Decimal((last.day) / _month_end(month).day)
            sold = Decimal(0)
            while sold < wanted:
                code, _name, kind, _years, _factor = rng.choice(PRODUCTS)
                premium = Decimal(rng.randint(2, 40) * 5000)
                if kind == Product.Kind.SINGLE:
                    premium *= 4
                signed = month + datetime.timedelta(days=rng.randint(0, last.day - 1))
                status, changed = "有效", ""
                roll = rng.random()
                if roll < 0.03:
                    status, changed = "撤单", signed + datetime.timedelta(days=rng.randint(2, 12))
                elif roll < 0.08 and signed < today - datetime.timedelta(days=200):
                    status, changed = "退保", signed + datetime.timedelta(days=rng.randint(60, 190))
                if changed and changed > today:
                    status, changed = "有效", ""
                name = rng.choice(FAMILY) + rng.choice(GIVEN) + rng.choice(["", *GIVEN])
                phone = f"139{rng.randint(0, 10**8 - 1):08d}"
                rows.append(
                    f"DEMO{branch.pk:04d}{len(rows):06d},{code},{branch.bank.name},{branch.code},"
                    f"{rng.choice(staff)},{name},{_id_number(rng)},{phone},"
                    f"{premium},{signed:%Y-%m-%d},{signed + datetime.timedelta(days=1):%Y-%m-%d},"
                    f"{status},{changed}"
                )
                if status != "撤单":
                    sold += premium
    if rows:
        result = import_policies(source="\n".join([HEADER, *rows]).encode("utf-8"))
        log(f"{result.created} policies imported")
    log(
        f"{Product.objects.count()} products, {PlanTarget.objects.count()} plan targets, "
        f"{Policy.objects.count()} policies"
    )
