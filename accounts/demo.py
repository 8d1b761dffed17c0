"""Demo people: an admin, a province head, a city head, a supervisor and four account
managers with fixed logins, and the organisation they work in.

Seeded first (accounts is the bottom app): every other app's demo data belongs to them.
"""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from accounts import services
from accounts.access import MANAGER_GROUP, SUPERVISOR_GROUP
from accounts.models import AccountManager, OrgUnit

DEMO_PASSWORD = "branchdesk-demo"
DEMO_LOGINS = [
    ("admin", "系统管理员 administrator (superuser)"),
    ("sun", "孙总 head of the province branch (省分公司): every city and team"),
    ("qian", "钱经理 head of the Guangzhou city branch (广州中支): its teams"),
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
    _organisation(supervisor, log)


def _unit(kind, name, parent, head):
    unit = OrgUnit.objects.filter(kind=kind, name=name).first()
    if unit is None:
        unit = services.save_unit(unit=OrgUnit(kind=kind, name=name, parent=parent, head=head))
    return unit


def _organisation(supervisor, log):
    """广东省分公司 (sun) → 广州中支 (qian) → 周敏团队 (zhou, with the four managers);
    深圳中支 has no teams yet."""
    heads = Group.objects.get(name=SUPERVISOR_GROUP)
    province_head = _user("sun", "建国", "孙", is_staff=True)
    city_head = _user("qian", "红", "钱", is_staff=True)
    for head in (province_head, city_head):
        head.groups.add(heads)
    province = _unit(OrgUnit.Kind.PROVINCE, "广东省分公司", None, province_head)
    city = _unit(OrgUnit.Kind.CITY, "广州中支", province, city_head)
    _unit(OrgUnit.Kind.CITY, "深圳中支", province, None)
    team = OrgUnit.objects.filter(head=supervisor, kind=OrgUnit.Kind.TEAM).first()
    if team is None:
        team = _unit(OrgUnit.Kind.TEAM, "周敏团队", city, supervisor)
    elif team.parent_id is None:  # the team the migration made for zhou: hang it under 广州
        team.parent = city
        services.save_unit(unit=team)
    for manager in AccountManager.objects.filter(supervisor=supervisor, team=None):
        services.move_manager(manager=manager, team=team, on=manager.hire_date)
    log(f"{OrgUnit.objects.count()} organisation units")
