"""Demo bank staff: a director, a lobby manager and a few tellers at every demo branch."""

import datetime

from branches.models import Branch
from staff.models import BranchStaff
from staff.services import add_staff

FAMILY = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ["丽", "静", "敏", "伟", "磊", "婷", "军", "洋", "勇", "娟", "艳", "杰", "涛", "明", "霞"]
HOBBIES = ["羽毛球", "瑜伽", "摄影", "烘焙", "跑步", "书法", "旅游", "钓鱼", "茶艺", "看电影"]
AREAS = ["古北新区", "世纪公园附近", "徐家汇", "七宝老街附近", "张江", "中山公园附近"]
ROLES = [
    (BranchStaff.Role.DIRECTOR, {"is_influencer": True}),
    (BranchStaff.Role.LOBBY_MANAGER, {"is_influencer": True}),
    (BranchStaff.Role.WEALTH_MANAGER, {}),
    (BranchStaff.Role.TELLER, {"is_key_teller": True}),
    (BranchStaff.Role.TELLER, {}),
]


def seed_branch(branch, index):
    """Staff for one branch; keyed on (branch, name), so running again adds nobody."""
    for position, (role, flags) in enumerate(ROLES):
        number = index * len(ROLES) + position
        name = FAMILY[number % len(FAMILY)] + GIVEN[(number * 7) % len(GIVEN)]
        if BranchStaff.objects.filter(branch=branch, name=name).exists():
            continue
        month = number % 12 + 1
        day = (number * 3) % 28 + 1
        add_staff(
            branch=branch,
            name=name,
            role=role,
            mobile=f"139{index:02d}{position:02d}{number:04d}"[:11],
            birth_month=month,
            birth_day=day,
            birth_year=1975 + number % 20 if number % 3 else None,
            hobbies=HOBBIES[number % len(HOBBIES)],
            home_area=AREAS[number % len(AREAS)],
            family_notes="孩子在读小学" if number % 4 == 0 else "",
            started_on=datetime.date(2022, 1, 1) + datetime.timedelta(days=number * 11),
            **flags,
        )


def seed(log):
    branches = Branch.objects.filter(code__startswith="SH").order_by("code")
    for index, branch in enumerate(branches):
        seed_branch(branch, index)
    log(f"{BranchStaff.objects.count()} bank staff")
