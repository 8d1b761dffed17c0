import datetime

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from accounts.roles import grant, revoke

MANAGER = "客户经理 Account manager"
SUPERVISOR = "主管 Supervisor"
MANAGER_PERMISSIONS = ["branches.view_eventresponsetime", "branches.view_eventaction"]
SUPERVISOR_PERMISSIONS = [
    "branches.view_eventresponsetime",
    "branches.change_eventresponsetime",
    "branches.view_eventaction",
    "branches.change_abnormalevent",
]

# Hours the company has to answer, per category: the bank's own moves (policy, surrenders it
# caused) within a day, a competitor's campaign within two, the rest within three to five.
RESPONSE_HOURS = {
    "bank_policy": 24,
    "bank_surrender": 24,
    "competitor_campaign": 48,
    "competitor_product": 72,
    "staff_change": 72,
    "communication": 48,
    "government_bonds": 72,
    "securities_promotion": 72,
    "other": 120,
}
OLD_TO_NEW = {"open": "reported", "following_up": "acknowledged", "resolved": "closed"}


def forwards(apps, schema_editor):
    EventResponseTime = apps.get_model("branches", "EventResponseTime")
    AbnormalEvent = apps.get_model("branches", "AbnormalEvent")
    EventAction = apps.get_model("branches", "EventAction")
    for category, hours in RESPONSE_HOURS.items():
        EventResponseTime.objects.get_or_create(
            category=category, defaults={"response_hours": hours}
        )
    for old, new in OLD_TO_NEW.items():
        AbnormalEvent.objects.filter(status=old).update(status=new)
    # Events reported before the loop existed: their deadline and the report in the history.
    for event in AbnormalEvent.objects.filter(respond_by__isnull=True).iterator():
        hours = RESPONSE_HOURS.get(event.category, 72)
        event.respond_by = event.created_at + datetime.timedelta(hours=hours)
        event.save(update_fields=["respond_by"])
        EventAction.objects.create(
            event=event,
            kind="report",
            from_status="",
            to_status="reported",
            actor_id=event.reported_by_id,
            at=event.created_at,
        )
    grant(apps, MANAGER, MANAGER_PERMISSIONS)
    grant(apps, SUPERVISOR, SUPERVISOR_PERMISSIONS)


def backwards(apps, schema_editor):
    AbnormalEvent = apps.get_model("branches", "AbnormalEvent")
    for old, new in OLD_TO_NEW.items():
        AbnormalEvent.objects.filter(status=new).update(status=old)
    AbnormalEvent.objects.filter(status="responded").update(status="following_up")
    revoke(apps, MANAGER, MANAGER_PERMISSIONS)
    revoke(apps, SUPERVISOR, SUPERVISOR_PERMISSIONS)


class Migration(migrations.Migration):
    """The rows of 0009's schema: statuses mapped, deadlines and the report in each old event's
    history, shipped response times and the roles' grants. Apart from 0009 so that, on
    PostgreSQL, no data update shares a transaction with 0009's index changes."""

    dependencies = [("branches", "0009_event_response_loop")]

    operations = [migrations.RunPython(forwards, backwards)]
