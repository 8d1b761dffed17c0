from django.db import migrations

from accounts.roles import grant, revoke

MANAGER = "客户经理 Account manager"
SUPERVISOR = "主管 Supervisor"

MANAGER_PERMISSIONS = ["staff.view_branchstaff", "staff.add_branchstaff", "staff.change_branchstaff"]
SUPERVISOR_PERMISSIONS = ["staff.view_branchstaff", "staff.view_historicalbranchstaff"]


def forwards(apps, schema_editor):
    grant(apps, MANAGER, MANAGER_PERMISSIONS)
    grant(apps, SUPERVISOR, SUPERVISOR_PERMISSIONS)


def backwards(apps, schema_editor):
    revoke(apps, MANAGER, MANAGER_PERMISSIONS)
    revoke(apps, SUPERVISOR, SUPERVISOR_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("staff", "0001_initial"), ("grading", "0002_roles")]
    operations = [migrations.RunPython(forwards, backwards)]
