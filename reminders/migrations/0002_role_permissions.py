from django.db import migrations

from accounts.roles import grant, revoke

MANAGER = "客户经理 Account manager"
SUPERVISOR = "主管 Supervisor"

MANAGER_PERMISSIONS = [
    "reminders.view_notification",
    "reminders.view_stockepisode",
]
# Supervisors watch their team's outbox in the admin and resend failed emails (change).
SUPERVISOR_PERMISSIONS = [
    "reminders.view_notification",
    "reminders.change_notification",
    "reminders.view_stockepisode",
]


def forwards(apps, schema_editor):
    grant(apps, MANAGER, MANAGER_PERMISSIONS)
    grant(apps, SUPERVISOR, SUPERVISOR_PERMISSIONS)


def backwards(apps, schema_editor):
    revoke(apps, MANAGER, MANAGER_PERMISSIONS)
    revoke(apps, SUPERVISOR, SUPERVISOR_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("reminders", "0001_initial"), ("grading", "0002_roles")]
    operations = [migrations.RunPython(forwards, backwards)]
