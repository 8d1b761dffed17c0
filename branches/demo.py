"""Demo banks and about twenty branches spread over the three demo managers."""

from branches.models import Bank, Branch
from grading.models import AccountManager

BANKS = [
    ("中国工商银行", "工行", True),
    ("中国建设银行", "建行", False),
    ("中国农业银行", "农行", True),
    ("招商银行", "招行", True),
]
DISTRICTS = ["黄浦区", "徐汇区", "浦东新区", "静安区", "闵行区"]
BRANCH_NAMES = [
    "南京东路支行",
    "淮海中路支行",
    "陆家嘴支行",
    "静安寺支行",
    "七宝支行",
    "徐家汇支行",
    "张江支行",
    "人民广场支行",
    "虹桥支行",
    "莘庄支行",
    "世纪大道支行",
    "南京西路支行",
    "打浦桥支行",
    "金桥支行",
    "古北支行",
    "漕河泾支行",
    "外滩支行",
    "曹家渡支行",
    "花木支行",
    "梅陇支行",
]


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
    for index, name in enumerate(BRANCH_NAMES):
        bank = banks[index % len(banks)]
        Branch.objects.get_or_create(
            bank=bank,
            code=f"SH{index + 1:04d}",
            defaults={
                "name": name,
                "address": f"上海市{DISTRICTS[index % len(DISTRICTS)]}{name[:-2]}路{index + 1}号",
                "city": "上海",
                "district": DISTRICTS[index % len(DISTRICTS)],
                "phone": f"021-6{index + 1:03d}8888",
                "tier": "ABC"[index % 3],
                "manager": managers[index % len(managers)],
            },
        )
    log(f"{Bank.objects.count()} banks, {Branch.objects.count()} branches")
