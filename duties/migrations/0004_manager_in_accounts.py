"""The account manager now lives in the accounts app: point the foreign keys there.

State only: the table (grading_accountmanager) and its rows stay where they were.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("duties", "0003_role_permissions"),
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="attendance",
                    name="manager",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attendance', to='accounts.accountmanager', verbose_name='account manager'),
                ),
                migrations.AlterField(
                    model_name="briefingdelivery",
                    name="delivered_by",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='briefing_deliveries', to='accounts.accountmanager', verbose_name='delivered by'),
                ),
                migrations.AlterField(
                    model_name="checklistitem",
                    name="manager",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='checklist_items', to='accounts.accountmanager', verbose_name='account manager'),
                ),
                migrations.AlterField(
                    model_name="trainingsession",
                    name="manager",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='trainings', to='accounts.accountmanager', verbose_name='account manager'),
                ),
            ],
            database_operations=[],
        ),
    ]
