from django.db import migrations

from accounts.roles import grant, revoke

MANAGER = "客户经理 Account manager"
SUPERVISOR = "主管 Supervisor"

MANAGER_PERMISSIONS = [
    "duties.view_dutyarea",
    "duties.view_dutytask",
    "duties.view_checklisttemplate",
    "duties.view_checklistitem",
    "duties.change_checklistitem",
    "duties.view_trainingsession",
    "duties.add_trainingsession",
    "duties.change_trainingsession",
    "duties.view_policybriefing",
    "duties.view_briefingdelivery",
    "duties.add_briefingdelivery",
    "duties.view_attendance",
    "duties.add_attendance",
    "duties.change_attendance",
]
# Supervisors keep the catalogue, the templates and the briefings; they review the rest.
SUPERVISOR_PERMISSIONS = [
    "duties.view_dutyarea",
    "duties.change_dutyarea",
    "duties.view_dutytask",
    "duties.add_dutytask",
    "duties.change_dutytask",
    "duties.view_checklisttemplate",
    "duties.add_checklisttemplate",
    "duties.change_checklisttemplate",
    "duties.delete_checklisttemplate",
    "duties.view_checklistitem",
    "duties.view_trainingsession",
    "duties.view_policybriefing",
    "duties.add_policybriefing",
    "duties.change_policybriefing",
    "duties.view_briefingdelivery",
    "duties.view_attendance",
    "duties.add_attendance",
    "duties.change_attendance",
]


def forwards(apps, schema_editor):
    grant(apps, MANAGER, MANAGER_PERMISSIONS)
    grant(apps, SUPERVISOR, SUPERVISOR_PERMISSIONS)


def backwards(apps, schema_editor):
    revoke(apps, MANAGER, MANAGER_PERMISSIONS)
    revoke(apps, SUPERVISOR, SUPERVISOR_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("duties", "0002_duty_catalogue"), ("grading", "0002_roles")]
    operations = [migrations.RunPython(forwards, backwards)]
