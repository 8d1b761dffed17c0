from django.db import migrations

from accounts.roles import grant, revoke

MANAGER = "客户经理 Account manager"
SUPERVISOR = "主管 Supervisor"

MANAGER_PERMISSIONS = ["staff.view_staffposting", "staff.view_historicalbranchstaff"]
SUPERVISOR_PERMISSIONS = ["staff.view_staffposting"]


def forwards(apps, schema_editor):
    grant(apps, MANAGER, MANAGER_PERMISSIONS)
    grant(apps, SUPERVISOR, SUPERVISOR_PERMISSIONS)


def backwards(apps, schema_editor):
    revoke(apps, MANAGER, MANAGER_PERMISSIONS)
    revoke(apps, SUPERVISOR, SUPERVISOR_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("staff", "0003_staff_posting"), ("grading", "0002_roles")]
    operations = [migrations.RunPython(forwards, backwards)]
