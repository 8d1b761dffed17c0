"""A provincial-size dataset for the benchmarks in ``bench/`` (never for production).

At ``--scale 1``: 200 managers in 20 supervisors' teams, 5,000 branches, 40,000 bank staff,
500,000 visits, 1,000,000 stock movements, 100,000 service cases, two assessment periods
with sales figures and assessments, and the managers' work logs of the 20 working days before
the run. Rows go in with PostgreSQL ``COPY`` (``bulk_create`` in
batches on other databases), then the figures other rows summarise are set from them in SQL:
``Branch.last_visit_at`` is the latest visit, ``BranchStock.on_hand`` the sum of its ledger
(``manage.py check_stock`` passes). Assessments go through ``grading.services`` so their
frozen metrics are the real ones.

Every bench login (``bench_admin``, ``bench_sup001``, ``bm0001`` ...) has the password
``BENCH_PASSWORD``.
"""

import datetime
import io
import json
import random
import time
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Max, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts import services as org
from accounts.access import MANAGER_GROUP, SUPERVISOR_GROUP
from accounts.models import AccountManager, OrgUnit, TeamMembership
from branches.models import AbnormalEvent, Bank, Branch, CompetitorPresence, DepositSnapshot, Visit
from branches.services import rebuild_visit_days, set_latest_visits
from core.links import id_urls
from documents import services as documents_services
from documents.models import BranchStock, StockItem, StockMovement
from grading import services
from grading.models import (
    Assessment,
    AssessmentPeriod,
    CurrentLevel,
    Level,
    LevelChange,
    SalesFigure,
)
from service.models import Case, Kind, Priority
from staff.models import BranchStaff, StaffPosting
from worklog.models import WorkLog

BENCH_PASSWORD = "bench-pass-2026"
BASE = {
    "cities": 5,
    "supervisors": 20,
    "managers": 200,
    "branches": 5_000,
    "staff": 40_000,
    "visits": 500_000,
    "movements": 1_000_000,
    "cases": 100_000,
    "policies": 200_000,
}
BANKS = [
    ("中国工商银行", "工行"),
    ("中国农业银行", "农行"),
    ("中国银行", "中行"),
    ("中国建设银行", "建行"),
    ("交通银行", "交行"),
    ("中国邮政储蓄银行", "邮储"),
    ("招商银行", "招行"),
    ("上海浦东发展银行", "浦发"),
    ("中信银行", "中信"),
    ("中国民生银行", "民生"),
    ("兴业银行", "兴业"),
    ("中国光大银行", "光大"),
]
CITIES = {
    "广州": ["天河区", "越秀区", "海珠区", "荔湾区", "白云区", "番禺区"],
    "深圳": ["福田区", "罗湖区", "南山区", "宝安区", "龙岗区"],
    "佛山": ["禅城区", "南海区", "顺德区"],
    "东莞": ["莞城街道", "南城街道", "东城街道"],
    "珠海": ["香洲区", "斗门区"],
}
FAMILY = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"
INSURERS = ["平安人寿", "中国人寿", "太平洋人寿", "新华保险", "泰康人寿"]
BATCH = 20_000
WORK_LOG_DAYS = 20  # working days of submitted logs, back from yesterday


def scaled(scale):
    """Row counts at ``scale``, never below what makes a working dataset."""
    counts = {key: max(1, round(value * scale)) for key, value in BASE.items()}
    counts["managers"] = max(2, counts["managers"])
    counts["branches"] = max(counts["managers"], counts["branches"])
    return counts


def _copy_value(value):
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False)
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "")


def insert(model, fields, rows):
    """Insert tuples of ``fields`` (attribute names) and return the new primary keys in order.

    PostgreSQL gets one ``COPY`` per batch; other databases ``bulk_create``. Ids are read back
    as "greater than the largest before", which holds while nothing else writes the table.
    """
    before = model.objects.aggregate(top=Max("pk"))["top"] or 0
    columns = [model._meta.get_field(name).column for name in fields]
    # COPY knows nothing of Django's defaults ("" for text, auto_now, default=...): add them.
    extras = []
    for field in model._meta.concrete_fields:
        if field.primary_key or field.generated or field.attname in fields:
            continue
        value = field.get_default()
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = timezone.now()
        if value is not None:
            columns.append(field.column)
            extras.append(_copy_value(value))
    table = connection.ops.quote_name(model._meta.db_table)
    column_list = ", ".join(connection.ops.quote_name(c) for c in columns)
    batch = []

    def flush():
        if not batch:
            return
        if connection.vendor == "postgresql":
            buffer = io.StringIO()
            for row in batch:
                buffer.write("\t".join([*(_copy_value(v) for v in row), *extras]))
                buffer.write("\n")
            buffer.seek(0)
            with connection.cursor() as cursor:
                cursor.copy_expert(f"COPY {table} ({column_list}) FROM STDIN", buffer)
        else:
            model.objects.bulk_create(
                [model(**dict(zip(fields, row, strict=True))) for row in batch],
                batch_size=500,
            )
        batch.clear()

    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            flush()
    flush()
    if connection.vendor == "postgresql":
        # Fresh statistics, or the summarising UPDATEs below plan a loaded table as empty.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {table}")
    return list(model.objects.filter(pk__gt=before).order_by("pk").values_list("pk", flat=True))


class Command(BaseCommand):
    help = "Build the benchmark dataset (bench/README.md); --scale 1 is a province."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="1 = 5,000 branches")
        parser.add_argument("--seed", type=int, default=2026, help="random seed")

    def handle(self, *args, scale, seed, **options):
        if scale <= 0:
            raise CommandError("--scale must be positive.")
        User = get_user_model()
        if User.objects.filter(username="bench_admin").exists():
            raise CommandError("The bench dataset is already here: seed an empty database.")
        self.random = random.Random(seed)
        self.counts = scaled(scale)
        self.now = timezone.now()
        self.started = time.monotonic()
        self.say(
            f"Seeding at scale {scale}: " + ", ".join(f"{k} {v:,}" for k, v in self.counts.items())
        )
        with transaction.atomic():
            self.people()
            self.org_tree()
            self.branches()
            self.staff()
            self.visits()
            self.stock()
            self.cases()
            self.sales()
            self.work_logs()
        # Assessments read the visits and cases above through the real services.
        with transaction.atomic():
            self.assessments()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.say("Done.")

    # -- helpers ------------------------------------------------------------------------------

    def say(self, text):
        self.stdout.write(f"[{time.monotonic() - self.started:7.1f}s] {text}")
        self.stdout.flush()

    def when(self, days_back):
        """A random moment within the last ``days_back`` days, in office hours."""
        # From yesterday back: an office hour of today may still be in the future.
        day = self.now - datetime.timedelta(days=self.random.randrange(1, days_back))
        return day.replace(
            hour=self.random.randrange(1, 10), minute=self.random.randrange(60), second=0
        )

    def person(self):
        return self.random.choice(FAMILY) + "".join(
            self.random.choice(GIVEN) for _ in range(self.random.choice((1, 2)))
        )

    def mobile(self):
        return "13" + "".join(self.random.choice("0123456789") for _ in range(9))

    # -- steps --------------------------------------------------------------------------------

    def people(self):
        User = get_user_model()
        password = make_password(BENCH_PASSWORD)
        n_sup, n_man = self.counts["supervisors"], self.counts["managers"]

        def user_row(username, is_staff=False, is_superuser=False):
            first = self.random.choice(GIVEN)
            return (
                username,
                password,
                self.random.choice(FAMILY),
                first,
                f"{username}@bench.local",
                is_staff,
                is_superuser,
                True,
                self.now,
            )

        fields = [
            "username",
            "password",
            "last_name",
            "first_name",
            "email",
            "is_staff",
            "is_superuser",
            "is_active",
            "date_joined",
        ]
        rows = [user_row("bench_admin", True, True)]
        rows += [user_row(f"bench_sup{i + 1:03d}", is_staff=True) for i in range(n_sup)]
        rows += [user_row(f"bm{i + 1:04d}") for i in range(n_man)]
        ids = insert(User, fields, rows)
        self.admin_id, self.supervisor_ids, manager_user_ids = (
            ids[0],
            ids[1 : 1 + n_sup],
            ids[1 + n_sup :],
        )
        through = User.groups.through
        sup_group = Group.objects.get(name=SUPERVISOR_GROUP).pk
        man_group = Group.objects.get(name=MANAGER_GROUP).pk
        insert(
            through,
            ["user_id", "group_id"],
            [(pk, sup_group) for pk in self.supervisor_ids]
            + [(pk, man_group) for pk in manager_user_ids],
        )
        levels = list(Level.objects.order_by("rank").values_list("pk", flat=True))
        team_size = -(-n_man // n_sup)
        manager_rows = []
        levels_by_row = []
        for i, user_id in enumerate(manager_user_ids):
            hired = self.now.date() - datetime.timedelta(days=self.random.randrange(200, 3000))
            level = levels[min(len(levels) - 1, int(self.random.triangular(0, 9, 3)))]
            manager_rows.append(
                (
                    user_id,
                    f"BM{i + 1:05d}",
                    hired,
                    self.mobile(),
                    self.supervisor_ids[min(i // team_size, n_sup - 1)],
                    True,
                    "new_hire",
                )
            )
            levels_by_row.append(level)
        self.manager_ids = insert(
            AccountManager,
            [
                "user_id",
                "employee_number",
                "hire_date",
                "mobile",
                "supervisor_id",
                "is_active",
                "entry_route",
            ],
            manager_rows,
        )
        insert(
            CurrentLevel,
            ["manager_id", "level_id"],
            list(zip(self.manager_ids, levels_by_row, strict=True)),
        )
        self.manager_user = dict(zip(self.manager_ids, manager_user_ids, strict=True))
        insert(
            LevelChange,
            ["manager_id", "to_level_id", "reason", "note", "effective_on", "created_at"],
            [
                (pk, level, "initial", "", row[2], self.now)
                for pk, row, level in zip(
                    self.manager_ids, manager_rows, levels_by_row, strict=True
                )
            ],
        )
        self.say(f"people: {n_sup} supervisors, {n_man} managers")

    def org_tree(self):
        """The organisation: one province, its cities, and one team per supervisor (issue 17).

        Heads log in as bench_province and bench_cityNN; teams are shared out evenly over the
        cities, and every manager is a member of their supervisor's team since their hire date.
        """
        User = get_user_model()
        password = make_password(BENCH_PASSWORD)
        sup_group = Group.objects.get(name=SUPERVISOR_GROUP)

        def head(username):
            user = User.objects.create(
                username=username,
                password=password,
                last_name=self.random.choice(FAMILY),
                first_name=self.random.choice(GIVEN),
                email=f"{username}@bench.local",
                is_staff=True,
            )
            user.groups.add(sup_group)
            return user

        def unit(kind, name, parent, user):
            return org.save_unit(unit=OrgUnit(kind=kind, name=name, parent=parent, head=user))

        province = unit(OrgUnit.Kind.PROVINCE, "省分公司", None, head("bench_province"))
        n_city = self.counts["cities"]
        names = [f"{name}中支" for name in CITIES] + [f"第{n + 1}中支" for n in range(n_city)]
        cities = [
            unit(OrgUnit.Kind.CITY, names[i], province, head(f"bench_city{i + 1:02d}"))
            for i in range(n_city)
        ]
        hired = dict(AccountManager.objects.values_list("pk", "hire_date"))
        memberships = []
        for i, supervisor_id in enumerate(self.supervisor_ids):
            team = unit(
                OrgUnit.Kind.TEAM, f"第{i + 1}团队", cities[i % n_city], User(pk=supervisor_id)
            )
            members = AccountManager.objects.filter(supervisor_id=supervisor_id)
            memberships += [(pk, team.pk, hired[pk]) for pk in members.values_list("pk", flat=True)]
            members.update(team=team)
        insert(TeamMembership, ["manager_id", "team_id", "started"], memberships)
        self.say(f"organisation: 1 province, {n_city} cities, {len(self.supervisor_ids)} teams")

    def branches(self):
        bank_ids = [
            Bank.objects.get_or_create(name=name, defaults={"short_name": short})[0].pk
            for name, short in BANKS
        ]
        rows = []
        for i in range(self.counts["branches"]):
            city = self.random.choice(list(CITIES))
            district = self.random.choice(CITIES[city])
            tier = self.random.choices("ABC", weights=(2, 5, 3))[0]
            rows.append(
                (
                    bank_ids[i % len(bank_ids)],
                    f"{district}支行{i + 1}",
                    f"BN{i + 1:06d}",
                    f"{city}{district}人民路{self.random.randrange(1, 999)}号",
                    city,
                    district,
                    "",
                    tier,
                    self.random.random() > 0.03,
                    self.manager_ids[i % len(self.manager_ids)],
                    None,
                    "",
                    self.now,
                )
            )
        self.branch_ids = insert(
            Branch,
            [
                "bank_id",
                "name",
                "code",
                "address",
                "city",
                "district",
                "phone",
                "tier",
                "is_active",
                "manager_id",
                "allows_posters",
                "layout_notes",
                "created_at",
            ],
            rows,
        )
        self.branch_manager = {pk: row[9] for pk, row in zip(self.branch_ids, rows, strict=True)}
        today = self.now.date()
        insert(
            DepositSnapshot,
            ["branch_id", "as_of", "personal", "corporate", "created_at"],
            [
                (
                    pk,
                    today - datetime.timedelta(days=days),
                    Decimal(self.random.randrange(10_000, 900_000)) * 1000,
                    Decimal(self.random.randrange(5_000, 500_000)) * 1000,
                    self.now,
                )
                for pk in self.branch_ids
                for days in (0, 92)
            ],
        )
        insert(
            CompetitorPresence,
            [
                "branch_id",
                "insurer",
                "annual_premium",
                "recent_premium",
                "sales_model",
                "relationships",
                "advantages",
                "observed_on",
                "created_at",
            ],
            [
                (
                    pk,
                    insurer,
                    Decimal(self.random.randrange(100, 9000)) * 1000,
                    Decimal(self.random.randrange(10, 900)) * 1000,
                    "驻点",
                    "",
                    "",
                    today,
                    self.now,
                )
                for pk in self.branch_ids
                for insurer in self.random.sample(INSURERS, 2)
            ],
        )
        insert(
            AbnormalEvent,
            [
                "branch_id",
                "category",
                "occurred_on",
                "description",
                "campaign_effect",
                "reported_by_id",
                "status",
                "company_response",
                "created_at",
            ],
            [
                (
                    pk,
                    self.random.choice(["staff_change", "competitor_product", "bank_policy"]),
                    self.when(365).date(),
                    "网点情况变化",
                    "",
                    self.manager_user[self.branch_manager[pk]],
                    self.random.choice(["reported", "closed"]),
                    "",
                    self.now,
                )
                for pk in self.branch_ids
            ],
        )
        self.say(f"branches: {len(self.branch_ids):,} with deposits, competitors and events")

    def staff(self):
        roles = [choice for choice, _label in BranchStaff.Role.choices]
        rows = []
        per_branch = self.counts["staff"] / len(self.branch_ids)
        for i in range(self.counts["staff"]):
            branch = self.branch_ids[min(int(i / per_branch), len(self.branch_ids) - 1)]
            has_birthday = self.random.random() < 0.8
            month = self.random.randrange(1, 13) if has_birthday else None
            day = self.random.randrange(1, 29) if has_birthday else None
            year = self.random.randrange(1965, 2002) if has_birthday and i % 3 else None
            rows.append(
                (
                    branch,
                    self.person(),
                    self.random.choice(roles),
                    self.random.random() < 0.2,
                    self.random.random() < 0.1,
                    self.mobile(),
                    month,
                    day,
                    year,
                    "",
                    "",
                    "",
                    "",
                    self.random.random() > 0.08,
                    self.now,
                )
            )
        self.staff_ids = insert(
            BranchStaff,
            [
                "branch_id",
                "name",
                "role",
                "is_key_teller",
                "is_influencer",
                "mobile",
                "birth_month",
                "birth_day",
                "birth_year",
                "hobbies",
                "home_area",
                "family_notes",
                "notes",
                "is_active",
                "updated_at",
            ],
            rows,
        )
        self.staff_by_branch = {}
        for pk, row in zip(self.staff_ids, rows, strict=True):
            self.staff_by_branch.setdefault(row[0], []).append(pk)
        insert(
            StaffPosting,
            ["staff_id", "branch_id", "role", "started_on", "ended_on"],
            [
                (pk, row[0], row[2], self.when(1500).date(), None)
                for pk, row in zip(self.staff_ids, rows, strict=True)
            ],
        )
        self.say(f"staff: {len(self.staff_ids):,} with their postings")

    def visits(self):
        purposes = [choice for choice, _label in Visit.Purpose.choices]
        total = self.counts["visits"]
        # The first branch gets a long history: the branch page is measured on it.
        weights = [5.0] + [self.random.uniform(0.3, 1.7) for _ in self.branch_ids[1:]]
        branches = self.random.choices(self.branch_ids, weights=weights, k=total)
        met = []

        def rows():
            for n, branch in enumerate(branches):
                visited = self.when(730)
                next_on = None
                if self.random.random() < 0.3:
                    next_on = visited.date() + datetime.timedelta(days=self.random.randrange(3, 30))
                yield (
                    branch,
                    self.branch_manager[branch],
                    visited,
                    self.random.sample(purposes, self.random.randrange(1, 4)),
                    "拜访网点主任，沟通本月计划。",
                    "下周送宣传资料。",
                    next_on,
                    visited,
                )
                if n and n % 100_000 == 0:
                    self.say(f"  visits {n:,}/{total:,}")

        visit_ids = insert(
            Visit,
            [
                "branch_id",
                "manager_id",
                "visited_at",
                "purposes",
                "summary",
                "next_steps",
                "next_visit_on",
                "created_at",
            ],
            rows(),
        )
        for visit_id, branch in zip(visit_ids, branches, strict=True):
            people = self.staff_by_branch.get(branch)
            if people and self.random.random() < 0.4:
                met.append((visit_id, self.random.choice(people)))
        insert(Visit.staff_met.through, ["visit_id", "branchstaff_id"], met)
        # COPY saves no visit one by one: each branch's latest visit in one UPDATE, the
        # visits per manager and day in one INSERT ... SELECT.
        set_latest_visits(branches=Branch.objects.filter(pk__gte=self.branch_ids[0]))
        days = rebuild_visit_days()
        self.say(
            f"visits: {len(visit_ids):,} ({len(met):,} staff met), latest visits set, "
            f"{days:,} manager days counted"
        )

    def stock(self):
        items = list(StockItem.objects.filter(is_active=True).order_by("code"))
        stock_rows = [
            (branch, item.pk, 0, None, None) for branch in self.branch_ids for item in items
        ]
        stock_ids = insert(
            BranchStock,
            ["branch_id", "item_id", "on_hand", "threshold_override", "last_counted_at"],
            stock_rows,
        )
        owner = {
            pk: self.manager_user[self.branch_manager[row[0]]]
            for pk, row in zip(stock_ids, stock_rows, strict=True)
        }
        # Managers restock at about twice the reorder threshold (and sometimes forget).
        thresholds = {item.pk: item.default_threshold for item in items}
        reorder = {
            pk: max(10, 2 * thresholds[row[1]])
            for pk, row in zip(stock_ids, stock_rows, strict=True)
        }
        per_stock = max(1, self.counts["movements"] // len(stock_ids))
        remainder = self.counts["movements"] - per_stock * len(stock_ids)

        def rows():
            written = 0
            for n, stock_id in enumerate(stock_ids):
                count = per_stock + (1 if n < remainder else 0)
                times = sorted(self.when(365) for _ in range(count))
                balance = 0
                for k, moment in enumerate(times):
                    if k == 0 or (balance <= reorder[stock_id] and self.random.random() < 0.9):
                        low = 3 * reorder[stock_id]
                        kind, quantity = "delivery", self.random.randrange(low, 3 * low)
                    else:
                        kind = self.random.choices(
                            ["usage", "count", "damaged", "withdrawal"], weights=(90, 4, 3, 3)
                        )[0]
                        if kind == "count":
                            quantity = self.random.randrange(-3, 4) or 1
                        else:
                            quantity = -self.random.randrange(1, max(2, min(balance, 15)))
                        if k == count - 1 and n % 40 == 0:  # a few items end up empty
                            kind, quantity = "usage", -balance
                    quantity = max(quantity, -balance)
                    balance += quantity
                    yield (stock_id, kind, quantity, moment, owner[stock_id], None, "")
                written += count
                if n and n % 5000 == 0:
                    self.say(f"  stock movements {written:,}/{self.counts['movements']:,}")

        insert(
            StockMovement,
            [
                "branch_stock_id",
                "kind",
                "quantity",
                "occurred_at",
                "recorded_by_id",
                "visit_id",
                "note",
            ],
            rows(),
        )
        ledger = (
            StockMovement.objects.filter(branch_stock=OuterRef("pk"))
            .order_by()
            .values("branch_stock")
            .annotate(total=Sum("quantity"))
            .values("total")
        )
        counted = (
            StockMovement.objects.filter(branch_stock=OuterRef("pk"), kind="count")
            .order_by()
            .values("branch_stock")
            .annotate(top=Max("occurred_at"))
            .values("top")
        )
        BranchStock.objects.filter(pk__gte=stock_ids[0]).update(
            on_hand=Subquery(ledger), last_counted_at=Subquery(counted)
        )
        # What the 00:05 job does each night: the pages read each item's stored 30-day usage.
        documents_services.refresh_stock_usage()
        self.say(f"stock: {len(stock_ids):,} branch items, ledger summed into on_hand")

    def cases(self):
        kinds = [choice for choice, _label in Kind.choices]
        hours = {Priority.URGENT: 24, Priority.NORMAL: 72, Priority.LOW: 168}
        total = self.counts["cases"]

        def rows():
            for _ in range(total):
                branch = self.random.choice(self.branch_ids)
                manager = self.branch_manager[branch]
                kind = self.random.choice(kinds)
                priority = self.random.choices(list(hours), weights=(1, 6, 3))[0]
                opened = self.when(730)
                due = opened + datetime.timedelta(hours=hours[priority])
                status, resolved, closed = "closed", None, None
                roll = self.random.random()
                if opened > self.now - datetime.timedelta(days=20) and roll < 0.6:
                    status = self.random.choice(["new", "in_progress", "waiting"])
                else:
                    resolved = min(
                        self.now, opened + datetime.timedelta(hours=self.random.randrange(1, 200))
                    )
                    status = "resolved" if roll < 0.2 else "closed"
                    closed = resolved if status == "closed" else None
                received = cooling = None
                if kind == "cancellation":
                    received = opened.date() - datetime.timedelta(days=self.random.randrange(10))
                    cooling = received + datetime.timedelta(days=15)
                yield (
                    branch,
                    self.person(),
                    self.mobile(),
                    "",
                    "",
                    "",
                    kind,
                    "contact_change" if kind == "servicing" else "",
                    "branch_counter",
                    priority,
                    "客户咨询",
                    manager,
                    "",
                    None,
                    received,
                    cooling,
                    opened,
                    due,
                    resolved,
                    closed,
                    status,
                    "",
                    self.manager_user[manager],
                )

        ids = insert(
            Case,
            [
                "branch_id",
                "customer_name",
                "customer_mobile",
                "customer_id_last_four",
                "policy_number",
                "product",
                "kind",
                "servicing_type",
                "channel",
                "priority",
                "description",
                "assigned_manager_id",
                "department",
                "handed_over_at",
                "policy_received_on",
                "cooling_off_ends_on",
                "opened_at",
                "due_at",
                "resolved_at",
                "closed_at",
                "status",
                "resolution",
                "created_by_id",
            ],
            rows(),
        )
        self.say(f"cases: {len(ids):,}")

    def sales(self):
        """Products, a monthly plan target per branch for the last 13 months, and policies sold
        at a pace that leaves some branches ahead of plan and some behind."""
        from branches.models import PlanTarget
        from sales.demo import PRODUCTS
        from sales.models import Customer, Policy, Product

        today = timezone.localdate()
        products = []
        for code, name, kind, years, factor in PRODUCTS:
            product, _created = Product.objects.get_or_create(
                code=code,
                defaults={
                    "name": name,
                    "kind": kind,
                    "payment_years": years,
                    "standard_factor": Decimal(factor),
                    "on_sale_from": today.replace(year=today.year - 3, day=1),
                },
            )
            products.append(product)
        months = []
        first = today.replace(day=1)
        for back in range(13):
            year, month = first.year, first.month - back
            while month < 1:
                year, month = year - 1, month + 12
            start = datetime.date(year, month, 1)
            end = (start + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
            months.append((start, end))
        monthly = {pk: self.random.choice((300_000, 500_000, 800_000)) for pk in self.branch_ids}
        insert(
            PlanTarget,
            ["branch_id", "period_start", "period_end", "premium_target", "policy_count_target"],
            (
                (pk, start, end, monthly[pk], monthly[pk] // 40_000)
                for pk in self.branch_ids
                for start, end in months
            ),
        )
        total = self.counts["policies"]
        customer_count = max(1, int(total * 0.7))
        customer_branch = [self.random.choice(self.branch_ids) for _ in range(customer_count)]
        customer_ids = insert(
            Customer,
            ["identity", "name", "id_number", "phone", "branch_id", "premium_in_force"],
            (
                (f"bench-{n}", self.person(), "", self.mobile(), customer_branch[n], 0)
                for n in range(customer_count)
            ),
        )
        pace = {pk: self.random.uniform(0.3, 1.3) for pk in self.branch_ids}
        weights = [pace[pk] * monthly[pk] for pk in self.branch_ids]
        days = (today - months[-1][0]).days

        def rows():
            for n in range(total):
                index = self.random.randrange(customer_count)
                branch = customer_branch[index]
                if self.random.random() < 0.3:
                    branch = self.random.choices(self.branch_ids, weights=weights)[0]
                product = self.random.choice(products)
                premium = Decimal(self.random.randrange(2, 40) * 5000)
                signed = today - datetime.timedelta(days=self.random.randrange(days + 1))
                status, changed = "in_force", None
                roll = self.random.random()
                if roll < 0.03:
                    status, changed = "cancelled", min(today, signed + datetime.timedelta(days=5))
                elif roll < 0.08:
                    status, changed = "surrendered", today
                staff = self.staff_by_branch.get(branch) or [None]
                yield (
                    f"BP{n + 1:09d}",
                    product.pk,
                    branch,
                    self.branch_manager[branch],
                    self.random.choice(staff),
                    customer_ids[index],
                    premium,
                    (premium * product.standard_factor).quantize(Decimal("0.01")),
                    product.payment_years,
                    signed,
                    signed + datetime.timedelta(days=1),
                    signed + datetime.timedelta(days=16),
                    status,
                    changed,
                    "",
                    self.now,
                )

        ids = insert(
            Policy,
            [
                "number",
                "product_id",
                "branch_id",
                "manager_id",
                "credited_staff_id",
                "customer_id",
                "premium",
                "standard_premium",
                "payment_years",
                "signed_on",
                "effective_on",
                "cooling_off_ends_on",
                "status",
                "status_changed_on",
                "application_serial",
                "imported_at",
            ],
            rows(),
        )
        in_force = (
            Policy.objects.filter(customer=OuterRef("pk"), status="in_force")
            .values("customer")
            .annotate(total=Sum("premium"))
            .values("total")
        )
        Customer.objects.filter(identity__startswith="bench-").update(
            premium_in_force=Coalesce(Subquery(in_force), Value(Decimal("0")))
        )
        from sales.services import rebuild_monthly_sales

        rebuild_monthly_sales()  # the policies came by COPY, past sales.services
        self.say(f"sales: {len(months) * len(self.branch_ids):,} targets, {len(ids):,} policies")

    def work_logs(self, days=WORK_LOG_DAYS):
        """Most managers submit a log every working day: the team's log page and the log's
        detail are measured on a day that has them, not on an empty table."""
        names = dict(
            Branch.objects.filter(pk__in=self.branch_ids)
            .values_list("pk", "name")
            .iterator(chunk_size=5_000)
        )
        branches_of = {}
        for branch, manager in self.branch_manager.items():
            branches_of.setdefault(manager, []).append(branch)
        purposes = [str(label) for _code, label in Visit.Purpose.choices]
        today = timezone.localdate(self.now)
        zone = timezone.get_current_timezone()
        day_list = [
            day
            for day in (today - datetime.timedelta(days=n) for n in range(1, days * 2))
            if day.weekday() < 5
        ][:days]

        branch_url = id_urls("branches:detail")

        def entry(branch):
            clock = f"{self.random.randrange(9, 17):02d}:{self.random.randrange(60):02d}"
            return {
                "clock": clock,
                "kind": "visit",
                "title": f"拜访 {names[branch]}",
                "detail": "、".join(self.random.sample(purposes, self.random.randrange(1, 3))),
                "url": branch_url(branch),
            }

        def rows():
            for manager in self.manager_ids:
                mine = branches_of.get(manager) or []
                for day in day_list:
                    if self.random.random() >= 0.9:
                        continue  # a day off, or a log never sent
                    visited = self.random.sample(mine, min(len(mine), self.random.randrange(2, 7)))
                    entries = sorted((entry(b) for b in visited), key=lambda e: e["clock"])
                    submitted = datetime.datetime.combine(
                        day,
                        datetime.time(self.random.randrange(17, 21), self.random.randrange(60)),
                        zone,
                    )
                    yield (
                        manager,
                        day,
                        "今天拜访网点，沟通本月计划。",
                        "继续跟进重点网点。",
                        entries,
                        submitted,
                    )

        count = len(
            insert(
                WorkLog,
                ["manager_id", "date", "notes", "tomorrow_plan", "entries", "submitted_at"],
                rows(),
            )
        )
        self.say(f"work logs: {count:,} over {len(day_list)} working days")

    def assessments(self):
        User = get_user_model()
        admin = User.objects.get(pk=self.admin_id)
        year = self.now.year
        periods = [
            AssessmentPeriod.objects.get_or_create(
                name=f"bench-{year}H1",
                defaults={
                    "start": datetime.date(year, 1, 1),
                    "end": datetime.date(year, 6, 30),
                    "is_open": False,
                },
            )[0],
            AssessmentPeriod.objects.get_or_create(
                name=f"bench-{year}H2",
                defaults={"start": datetime.date(year, 7, 1), "end": datetime.date(year, 12, 31)},
            )[0],
        ]
        insert(
            SalesFigure,
            ["manager_id", "period_id", "premium", "policies", "active_branches", "persistency"],
            [
                (
                    manager,
                    period.pk,
                    Decimal(self.random.randrange(200, 5000)) * 1000,
                    self.random.randrange(10, 300),
                    self.random.randrange(5, 25),
                    Decimal(self.random.randrange(7000, 9900)) / 100,
                )
                for period in periods
                for manager in self.manager_ids
            ],
        )
        for assessment in services.generate_assessments(period=periods[0], user=admin):
            services.submit_assessment(assessment=assessment, user=admin)
            if assessment.has_recommendation:
                services.approve_assessment(
                    assessment=assessment, user=admin, today=periods[0].decisions_open_on
                )
        drafts = services.generate_assessments(period=periods[1], user=admin)
        for assessment in drafts[: len(drafts) // 2]:
            services.submit_assessment(assessment=assessment, user=admin)
        self.say(
            f"assessments: {Assessment.objects.filter(period__in=periods).count():,} "
            "in two periods (first approved, second drafts and submitted)"
        )
