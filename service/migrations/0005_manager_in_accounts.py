"""The account manager now lives in the accounts app: point the foreign keys there.

State only: the table (grading_accountmanager) and its rows stay where they were.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("service", "0004_case_event_department"),
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="case",
                    name="assigned_manager",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='service_cases', to='accounts.accountmanager', verbose_name='assigned manager'),
                ),
            ],
            database_operations=[],
        ),
    ]
