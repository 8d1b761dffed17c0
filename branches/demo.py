"""Demo banks and twenty branches spread over the three demo managers, with their
deposits, targets, competitors, abnormal events and visits (idempotent: each kind is
seeded only for a branch that has none yet)."""

import datetime
from decimal import Decimal

from django.utils import timezone

from accounts.models import AccountManager
from branches import services
from branches.models import AbnormalEvent, Bank, Branch, Visit

BANKS = [
    ("中国工商银行", "工行", True),
    ("中国建设银行", "建行", False),
    ("中国农业银行", "农行", True),
    ("招商银行", "招行", True),
]
# name, district, street address: real streets, so no address reads "南京东路路".
BRANCHES = [
    ("南京东路支行", "黄浦区", "南京东路300号"),
    ("淮海中路支行", "黄浦区", "淮海中路500号"),
    ("陆家嘴支行", "浦东新区", "陆家嘴环路1000号"),
    ("静安寺支行", "静安区", "愚园路68号"),
    ("七宝支行", "闵行区", "七莘路3000号"),
    ("徐家汇支行", "徐汇区", "肇嘉浜路1000号"),
    ("张江支行", "浦东新区", "张江路500号"),
    ("人民广场支行", "黄浦区", "西藏中路200号"),
    ("虹桥支行", "长宁区", "虹桥路1500号"),
    ("莘庄支行", "闵行区", "莘庄地铁站北广场8号"),
    ("世纪大道支行", "浦东新区", "世纪大道1200号"),
    ("南京西路支行", "静安区", "南京西路1266号"),
    ("打浦桥支行", "黄浦区", "徐家汇路600号"),
    ("金桥支行", "浦东新区", "金桥路1000号"),
    ("古北支行", "长宁区", "黄金城道800号"),
    ("漕河泾支行", "徐汇区", "宜山路700号"),
    ("外滩支行", "黄浦区", "中山东一路18号"),
    ("曹家渡支行", "静安区", "长寿路1000号"),
    ("花木支行", "浦东新区", "芳甸路300号"),
    ("梅陇支行", "闵行区", "莲花南路1500号"),
]
BRANCH_NAMES = [name for name, _district, _street in BRANCHES]

# Where the first demo branches are (WGS-84, near the real streets), so check-ins can be
# judged; the others are left without coordinates, as imported branches start.
DEMO_POSITIONS = {
    "南京东路支行": ("31.235200", "121.475900"),
    "淮海中路支行": ("31.220800", "121.463700"),
    "陆家嘴支行": ("31.239700", "121.499800"),
    "静安寺支行": ("31.223500", "121.445200"),
    "七宝支行": ("31.158000", "121.352000"),
}


def seed(log):
    banks = []
    for name, short, posters in BANKS:
        bank, _ = Bank.objects.get_or_create(
            name=name, defaults={"short_name": short, "allows_posters": posters}
        )
        banks.append(bank)
    managers = list(
        AccountManager.objects.filter(employee_number__in=["YB1001", "YB1002", "YB1003"]).order_by(
            "employee_number"
        )
    )
    for index, (name, district, street) in enumerate(BRANCHES):
        bank = banks[index % len(banks)]
        Branch.objects.get_or_create(
            bank=bank,
            code=f"SH{index + 1:04d}",
            defaults={
                "name": name,
                "address": f"上海市{district}{street}",
                "city": "上海",
                "district": district,
                "phone": f"021-6{index + 1:03d}8888",
                "tier": "ABC"[index % 3],
                "manager": managers[index % len(managers)],
                "latitude": DEMO_POSITIONS.get(name, (None, None))[0],
                "longitude": DEMO_POSITIONS.get(name, (None, None))[1],
            },
        )
    log(f"{Bank.objects.count()} banks, {Branch.objects.count()} branches")
    _seed_branch_database(log)


INSURERS = ["中国人寿", "平安人寿", "太平洋人寿", "新华保险", "泰康人寿"]
MODELS = ["驻点销售", "理财经理联动", "网点沙龙", "厅堂微沙龙"]
# A plan target's competition scheme named for the quarter it runs in (开门红 is the first).
QUARTER_SCHEMES = {
    1: ["开门红竞赛", "一季度冲刺竞赛"],
    2: ["二季度攻坚竞赛", "年中冲刺竞赛"],
    3: ["三季度攻坚竞赛", "三季度冲刺竞赛"],
    4: ["四季度攻坚竞赛", "年终收官竞赛"],
}
EVENTS = [
    (AbnormalEvent.Category.GOVERNMENT_BONDS, "本周国债上柜，客户资金分流，期缴产品销售放缓。"),
    (AbnormalEvent.Category.STAFF_CHANGE, "网点主任轮岗调往其他支行，新主任下周到任。"),
    (AbnormalEvent.Category.COMPETITOR_PRODUCT, "同业新的年金险产品上柜，费率有优势。"),
    (AbnormalEvent.Category.BANK_POLICY, "支行调整代理保险考核口径，期缴折算系数下调。"),
    (AbnormalEvent.Category.SECURITIES_PROMOTION, "证券公司在网点门口办理开户送礼活动。"),
]
SUMMARIES = [
    ("delivery", "送投保单和宣传彩页，补齐资料架。"),
    ("relationship", "拜访网点主任，沟通本月计划任务。"),
    ("training", "晨会讲解新险种和销售话术。"),
    ("collection", "收取已签投保单，现场初审。"),
    ("plan", "讲解竞赛方案，确认各岗位分工。"),
]


def _seed_branch_database(log):
    today = timezone.localdate()
    quarter_start = today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1)
    schemes = QUARTER_SCHEMES[(today.month - 1) // 3 + 1]
    branches = list(
        Branch.objects.filter(code__startswith="SH")
        .select_related("manager__user")
        .order_by("code")
    )
    for index, branch in enumerate(branches):
        base = Decimal(30_000_000 + index * 4_500_000)
        if not branch.deposits.exists():
            for months_ago, growth in ((2, Decimal("0.94")), (1, Decimal("0.98")), (0, 1)):
                as_of = today.replace(day=1) - datetime.timedelta(days=31 * months_ago)
                services.record_deposits(
                    branch=branch,
                    as_of=as_of.replace(day=1),
                    personal=(base * growth).quantize(Decimal("1")),
                    corporate=(base * Decimal("0.4") * growth).quantize(Decimal("1")),
                )
        if not branch.targets.exists():
            services.set_plan_target(
                branch=branch,
                period_start=quarter_start,
                period_end=(quarter_start + datetime.timedelta(days=92)).replace(day=1)
                - datetime.timedelta(days=1),
                premium_target=Decimal(2_000_000 + index * 150_000),
                policy_count_target=60 + index * 5,
                competition_scheme=schemes[index % len(schemes)],
            )
        if not branch.competitors.exists():
            for offset in range(2):
                insurer = INSURERS[(index + offset) % len(INSURERS)]
                for days_ago, factor in ((90, Decimal("0.85")), (10, 1)):
                    services.record_competitor(
                        branch=branch,
                        insurer=insurer,
                        annual_premium=Decimal(800_000 + index * 60_000) * factor,
                        recent_premium=Decimal(150_000 + index * 9_000) * factor,
                        sales_model=MODELS[(index + offset) % len(MODELS)],
                        relationships="与网点主任关系较好" if offset == 0 else "理财经理配合度高",
                        advantages="产品收益演示较高，礼品丰富" if offset else "品牌知名度高",
                        observed_on=today - datetime.timedelta(days=days_ago),
                    )
        if not branch.events.exists() and index % 2 == 0:
            category, text = EVENTS[index // 2 % len(EVENTS)]
            services.report_event(
                branch=branch,
                category=category,
                description=text,
                reported_by=branch.manager.user,
                occurred_on=today - datetime.timedelta(days=index),
            )
            if index % 4 == 0:
                services.report_event(
                    branch=branch,
                    category=AbnormalEvent.Category.COMPETITOR_CAMPAIGN,
                    description="同业在大堂举办理财沙龙，现场送米油。",
                    campaign_start=today - datetime.timedelta(days=20),
                    campaign_end=today - datetime.timedelta(days=18),
                    campaign_effect="据大堂经理反映，活动当天同业出单约10件。",
                    reported_by=branch.manager.user,
                    occurred_on=today - datetime.timedelta(days=20),
                )
    follow_up_events()
    log(f"{AbnormalEvent.objects.count()} abnormal events")


RESPONSES = [
    "总公司已与该行省分行沟通，考核口径下月起恢复，请网点继续按原方案推动。",
    "已安排产品部提供对比材料，下周驻点时向理财经理讲解我司产品优势。",
    "已协调新任网点主任见面，请客户经理本周内完成拜访并确认合作安排。",
]


def follow_up_events():
    """The demo's events in every state: the supervisor acknowledged some, answered some and
    closed some, so the pages show the whole loop. Done once (a rerun finds them moved)."""
    reported = AbnormalEvent.Status.REPORTED
    if AbnormalEvent.objects.exclude(status=reported).exists():
        return
    events = AbnormalEvent.objects.filter(status=reported).select_related(
        "branch__manager__supervisor"
    )
    for index, event in enumerate(events.order_by("pk")):
        supervisor = event.branch.manager.supervisor
        if supervisor is None or index % 4 == 3:
            continue  # left as reported: something still to do
        services.acknowledge_event(event=event, user=supervisor)
        if index % 4 >= 1:
            services.respond_to_event(
                event=event, user=supervisor, response=RESPONSES[index % len(RESPONSES)]
            )
        if index % 4 == 2:
            services.close_event(event=event, user=supervisor, note="网点已确认落实。")


def seed_late(log):
    """Visits once the bank staff exist (the staff app seeds them after this app's seed):
    a visit names the staff met."""
    branches = list(
        Branch.objects.filter(code__startswith="SH")
        .select_related("manager__user")
        .order_by("code")
    )
    for index, branch in enumerate(branches):
        # Two branches stay unvisited and a few not for a long while, so the
        # "not visited for N days" filter has something to show.
        if not branch.visits.exists() and index % 10 != 9:
            staff = list(branch.staff.filter(is_active=True).order_by("pk")[:2])
            gap = 45 if index % 5 == 4 else 1 + index % 6
            for visit_number in range(3):
                purpose, summary = SUMMARIES[(index + visit_number) % len(SUMMARIES)]
                visited_at = timezone.now() - datetime.timedelta(
                    days=gap + visit_number * 9, hours=index % 5
                )
                services.log_visit(
                    branch=branch,
                    manager=branch.manager,
                    purposes=[purpose, "relationship"] if purpose != "relationship" else [purpose],
                    visited_at=visited_at,
                    staff_met=staff[: visit_number % 2 + 1],
                    summary=summary,
                    next_steps="下周送汇总单" if visit_number == 0 else "",
                    # Every third branch's latest visit planned the next one: today or in
                    # the next days, so the planner's "visit planned" shows on the home.
                    next_visit_on=timezone.localdate() + datetime.timedelta(days=index % 4)
                    if visit_number == 0 and index % 3 == 0
                    else None,
                )
    log(f"{Visit.objects.count()} visits")
