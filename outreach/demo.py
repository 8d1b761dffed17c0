"""Demo consultation days and community events (no photos: those come from a phone).

Idempotent: a manager who already has events gets none. Recorded through the service, so a
consultation day ticks the demo checklist as it would for a real one.
"""

import datetime

from django.utils import timezone

from accounts.models import AccountManager
from branches.models import Branch
from outreach.models import OutreachEvent
from outreach.services import record_event
from sales.models import Policy
from staff.models import BranchStaff

Kind = OutreachEvent.Kind


def seed(log):
    today = timezone.localdate()
    managers = AccountManager.objects.filter(
        employee_number__in=["YB1001", "YB1002", "YB1003"]
    ).select_related("user")
    for manager in managers:
        if OutreachEvent.objects.filter(organiser=manager).exists():
            continue
        branches = list(Branch.objects.filter(manager=manager, is_active=True).order_by("pk")[:2])
        if not branches:
            continue
        staff = list(BranchStaff.objects.filter(branch=branches[0], is_active=True)[:2])
        policies = list(
            Policy.objects.filter(branch=branches[0], signed_on__gte=today - datetime.timedelta(30))
            .select_related("branch")
            .order_by("signed_on", "pk")[:2]
        )
        record_event(
            organiser=manager,
            recorded_by=manager.user,
            kind=Kind.CONSULTATION,
            held_on=today - datetime.timedelta(days=3),
            starts_at=datetime.time(9, 30),
            ends_at=datetime.time(11, 30),
            branches=branches[:1],
            staff=staff,
            customers_reached=18,
            leads=5,
            policies=policies,
            notes="网点大堂设咨询台，讲解养老规划和年金险。",
        )
        record_event(
            organiser=manager,
            recorded_by=manager.user,
            kind=Kind.COMMUNITY,
            held_on=today - datetime.timedelta(days=10),
            starts_at=datetime.time(14, 0),
            ends_at=datetime.time(16, 30),
            place="阳光花园社区活动中心",
            customers_reached=35,
            leads=8,
            notes="社区金融知识讲座：防范非法集资。",
        )
        record_event(
            organiser=manager,
            recorded_by=manager.user,
            kind=Kind.COMPANY,
            held_on=today - datetime.timedelta(days=17),
            starts_at=datetime.time(12, 0),
            ends_at=datetime.time(13, 30),
            branches=branches[-1:],
            place="园区科技公司午间讲座",
            customers_reached=22,
            leads=4,
        )
    log(f"{OutreachEvent.objects.count()} consultation days and events")
