"""Supervisors add their team's new branches: on the admin's add page and by import alike.

A supervisor hands out the team's branches among its managers; a branch the bank opens or the
channel signs is one more to hand out. The scoping rule keeps it in the team (the manager chosen
must be one of the supervisor's), so the head office is not a bottleneck for it. Before, the
import page was open to them while the add page answered 403.
"""

from django.db import migrations

from accounts.roles import grant, revoke

SUPERVISOR = "主管 Supervisor"
PERMISSIONS = ["branches.add_branch"]


def forwards(apps, schema_editor):
    grant(apps, SUPERVISOR, PERMISSIONS)


def backwards(apps, schema_editor):
    revoke(apps, SUPERVISOR, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("branches", "0010_event_response_loop_data")]
    operations = [migrations.RunPython(forwards, backwards)]
