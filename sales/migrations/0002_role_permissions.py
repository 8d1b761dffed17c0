from django.db import migrations

from accounts.roles import grant, revoke

MANAGER = "客户经理 Account manager"
SUPERVISOR = "主管 Supervisor"

MANAGER_PERMISSIONS = [
    "sales.view_product",
    "sales.view_policy",
    "sales.view_customer",
]
# Supervisors read their team's policies and customers, keep the product catalogue, upload the
# feed (add_feedfile) and see who viewed full ID numbers.
SUPERVISOR_PERMISSIONS = [
    "sales.view_product",
    "sales.add_product",
    "sales.change_product",
    "sales.view_policy",
    "sales.view_customer",
    "sales.change_customer",
    "sales.view_feedfile",
    "sales.add_feedfile",
    "sales.view_idnumberview",
]


def forwards(apps, schema_editor):
    grant(apps, MANAGER, MANAGER_PERMISSIONS)
    grant(apps, SUPERVISOR, SUPERVISOR_PERMISSIONS)


def backwards(apps, schema_editor):
    revoke(apps, MANAGER, MANAGER_PERMISSIONS)
    revoke(apps, SUPERVISOR, SUPERVISOR_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("sales", "0001_initial"), ("grading", "0002_roles")]
    operations = [migrations.RunPython(forwards, backwards)]
