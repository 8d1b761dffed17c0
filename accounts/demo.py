"""Demo people: an admin, a supervisor and four account managers with fixed logins.

Seeded first (accounts is the bottom app): every other app's demo data belongs to them.
"""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from accounts.access import MANAGER_GROUP, SUPERVISOR_GROUP
from accounts.models import AccountManager

DEMO_PASSWORD = "branchdesk-demo"
DEMO_LOGINS = [
    ("admin", "系统管理员 administrator (superuser)"),
    ("zhou", "周主管 supervisor of wang, li, zhang and zhao"),
    ("wang", "王客户经理 account manager"),
    ("li", "李客户经理 account manager"),
    ("zhang", "张客户经理 account manager"),
    ("zhao", "赵客户经理 account manager, joined this year, no branches yet"),
]
MANAGERS = [
    # username, family name, given name, employee number, hire date, mobile
    ("wang", "王", "芳", "YB1001", datetime.date(2019, 3, 1), "13800001001"),
    ("li", "李", "强", "YB1002", datetime.date(2022, 7, 15), "13800001002"),
    ("zhang", "张", "伟", "YB1003", datetime.date(2026, 9, 1), "13800001003"),
    ("zhao", "赵", "丽", "YB1004", datetime.date(2026, 6, 1), "13800001004"),
]


def _user(username, first_name, last_name, **flags):
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": first_name,
            "last_name": last_name,
            "email": f"{username}@branchdesk.local",
            **flags,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def seed(log):
    _user("admin", "管理员", "", is_staff=True, is_superuser=True)
    supervisor = _user("zhou", "敏", "周", is_staff=True)
    supervisor.groups.add(Group.objects.get(name=SUPERVISOR_GROUP))
    manager_group = Group.objects.get(name=MANAGER_GROUP)
    for username, family, given, number, hired, mobile in MANAGERS:
        user = _user(username, given, family)
        user.groups.add(manager_group)
        AccountManager.objects.get_or_create(
            user=user,
            defaults={
                "employee_number": number,
                "hire_date": hired,
                "mobile": mobile,
                "supervisor": supervisor,
            },
        )
    log(f"{AccountManager.objects.count()} account managers")
