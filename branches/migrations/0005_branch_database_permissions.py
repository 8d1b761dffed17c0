from django.db import migrations

from accounts.roles import grant, revoke

MANAGER = "客户经理 Account manager"
SUPERVISOR = "主管 Supervisor"

MANAGER_PERMISSIONS = [
    "branches.view_depositsnapshot",
    "branches.add_depositsnapshot",
    "branches.view_plantarget",
    "branches.add_plantarget",
    "branches.change_plantarget",
    "branches.view_competitorpresence",
    "branches.add_competitorpresence",
]
SUPERVISOR_PERMISSIONS = [
    "branches.view_depositsnapshot",
    "branches.view_plantarget",
    "branches.add_plantarget",
    "branches.change_plantarget",
    "branches.view_competitorpresence",
]


def forwards(apps, schema_editor):
    grant(apps, MANAGER, MANAGER_PERMISSIONS)
    grant(apps, SUPERVISOR, SUPERVISOR_PERMISSIONS)


def backwards(apps, schema_editor):
    revoke(apps, MANAGER, MANAGER_PERMISSIONS)
    revoke(apps, SUPERVISOR, SUPERVISOR_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("branches", "0004_branch_database"), ("grading", "0002_roles")]
    operations = [migrations.RunPython(forwards, backwards)]
