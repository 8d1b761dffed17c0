"""Demo work logs: zhou's team has sent yesterday's, all but one, and li today's, so the
team's log page has logs to show (their records counted, their notes begun) and someone
missing. wang's today is left open for whoever tries the log.

Idempotent: a day that has a log already is left as it is. Submitted through the service,
so each log holds that day's records and ticks the day's checklist item.
"""

import datetime

from django.utils import timezone

from accounts.models import AccountManager
from worklog.models import WorkLog
from worklog.services import submit

NOTES = {
    "YB1001": "上午走访两家网点，送达宣传折页；下午与网点主任沟通本月开门红计划。",
    "YB1002": "陪同理财经理接待两位到期客户，约好下周再谈续保。",
    "YB1003": "跟着王芳学习网点拜访流程，整理了柜员名单。",
}
PLANS = {
    "YB1001": "补送投保单，回访上周的大额客户。",
    "YB1002": "整理到期客户清单，准备周会材料。",
    "YB1003": "独立拜访一家网点。",
}


def seed_late(log):
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    managers = AccountManager.objects.filter(employee_number__in=list(NOTES)).select_related("user")
    sent = 0
    for manager in managers:
        days = [yesterday, today] if manager.employee_number == "YB1002" else [yesterday]
        for day in days:
            if WorkLog.objects.filter(manager=manager, date=day).exists():
                continue
            submit(
                manager=manager,
                day=day,
                notes=NOTES[manager.employee_number],
                tomorrow_plan=PLANS[manager.employee_number],
                user=manager.user,
            )
            sent += 1
    log(f"{sent} work logs submitted")
