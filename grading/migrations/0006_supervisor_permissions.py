"""Supervisors review assessments in the admin: exactly the permissions that needs.

They read the ladder and the history, set level standards, enter or import sales figures,
generate, review and decide assessments. Levels only change through the approval service.
"""

from django.db import migrations

from accounts.roles import grant, revoke

SUPERVISOR = "主管 Supervisor"
SUPERVISOR_PERMISSIONS = [
    "grading.view_level",
    "grading.view_levelstandard",
    "grading.add_levelstandard",
    "grading.change_levelstandard",
    "grading.view_assessmentperiod",
    "grading.view_salesfigure",
    "grading.add_salesfigure",
    "grading.change_salesfigure",
    "grading.view_assessment",
    "grading.add_assessment",
    "grading.change_assessment",
    "grading.view_levelchange",
]


def forwards(apps, schema_editor):
    grant(apps, SUPERVISOR, SUPERVISOR_PERMISSIONS)


def backwards(apps, schema_editor):
    revoke(apps, SUPERVISOR, SUPERVISOR_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("grading", "0005_initial_level_history"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
