from django.conf import settings
from django.db import migrations, models

from accounts.roles import grant, revoke

# The admin's read-only list of offline records: a manager their own (if ever given the
# admin), a supervisor their team's (offline.models.SyncRecordQuerySet).
ROLES = {
    "客户经理 Account manager": ["offline.view_syncrecord"],
    "主管 Supervisor": ["offline.view_syncrecord"],
}


def forwards(apps, schema_editor):
    for group, permissions in ROLES.items():
        grant(apps, group, permissions)


def backwards(apps, schema_editor):
    for group, permissions in ROLES.items():
        revoke(apps, group, permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("offline", "0001_initial"),
        ("grading", "0002_roles"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="syncrecord",
            name="kind",
            field=models.CharField(
                choices=[
                    ("visit", "Visit"),
                    ("delivery", "Delivery"),
                    ("tick", "Checklist item ticked"),
                    ("movement", "Stock usage or withdrawal"),
                    ("photos", "Photos added to a record"),
                ],
                max_length=10,
                verbose_name="kind",
            ),
        ),
        migrations.AddIndex(
            model_name="syncrecord",
            index=models.Index(fields=["key"], name="offline_sync_key_idx"),
        ),
        migrations.RunPython(forwards, backwards),
    ]
