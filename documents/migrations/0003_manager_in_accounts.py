"""The account manager now lives in the accounts app: point the foreign keys there.

State only: the table (grading_accountmanager) and its rows stay where they were.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0002_catalogue_and_roles"),
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="handover",
                    name="manager",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='handovers', to='accounts.accountmanager', verbose_name='account manager'),
                ),
            ],
            database_operations=[],
        ),
    ]
