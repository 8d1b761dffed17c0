from django.db import migrations

from accounts.roles import grant, revoke

MANAGER = "客户经理 Account manager"
SUPERVISOR = "主管 Supervisor"

MANAGER_PERMISSIONS = [
    "branches.view_bank",
    "branches.view_branch",
    "branches.change_branch",
    "branches.view_visit",
    "branches.add_visit",
    "branches.change_visit",
    "branches.view_abnormalevent",
    "branches.add_abnormalevent",
    "branches.change_abnormalevent",
]
SUPERVISOR_PERMISSIONS = [
    "branches.view_bank",
    "branches.view_branch",
    "branches.change_branch",
    "branches.view_visit",
    "branches.view_abnormalevent",
    "branches.change_abnormalevent",
]


def forwards(apps, schema_editor):
    grant(apps, MANAGER, MANAGER_PERMISSIONS)
    grant(apps, SUPERVISOR, SUPERVISOR_PERMISSIONS)


def backwards(apps, schema_editor):
    revoke(apps, MANAGER, MANAGER_PERMISSIONS)
    revoke(apps, SUPERVISOR, SUPERVISOR_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("branches", "0002_initial"), ("grading", "0002_roles")]
    operations = [migrations.RunPython(forwards, backwards)]
