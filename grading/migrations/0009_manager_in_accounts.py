"""The account manager moves to the accounts app (accounts.0001 takes over its table).

State only: grading's foreign keys point at accounts.AccountManager and grading forgets the
model; the table grading_accountmanager and its rows stay as they are.
"""

import django.db.models.deletion
from django.db import migrations, models


def rename_content_type(apps, schema_editor):
    """The permissions granted on the model, and the admin's history, follow it to accounts.

    Data migrations that ran while both apps had the model in their state may have created an
    empty accounts content type already; the grading one carries the grants, so it wins.
    """
    ContentType = apps.get_model("contenttypes", "ContentType")
    old = ContentType.objects.filter(app_label="grading", model="accountmanager").first()
    if old is None:
        return
    ContentType.objects.filter(app_label="accounts", model="accountmanager").delete()
    old.app_label = "accounts"
    old.save(update_fields=["app_label"])


def restore_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="grading", model="accountmanager").exists():
        ContentType.objects.filter(app_label="accounts", model="accountmanager").update(
            app_label="grading"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("grading", "0008_current_level"),
        ("accounts", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("branches", "0006_manager_in_accounts"),
        ("documents", "0003_manager_in_accounts"),
        ("duties", "0004_manager_in_accounts"),
        ("service", "0005_manager_in_accounts"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="levelchange",
                    name="manager",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='level_changes', to='accounts.accountmanager', verbose_name='account manager'),
                ),
                migrations.AlterField(
                    model_name="assessment",
                    name="manager",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='assessments', to='accounts.accountmanager', verbose_name='account manager'),
                ),
                migrations.AlterField(
                    model_name="currentlevel",
                    name="manager",
                    field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='current_level', serialize=False, to='accounts.accountmanager', verbose_name='account manager'),
                ),
                migrations.AlterField(
                    model_name="salesfigure",
                    name="manager",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='sales_figures', to='accounts.accountmanager', verbose_name='account manager'),
                ),
                migrations.DeleteModel(name="AccountManager"),
            ],
            database_operations=[],
        ),
        migrations.RunPython(rename_content_type, restore_content_type),
    ]
