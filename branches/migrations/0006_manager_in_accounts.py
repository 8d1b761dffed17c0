"""The account manager now lives in the accounts app: point the foreign keys there.

State only: the table (grading_accountmanager) and its rows stay where they were.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("branches", "0005_branch_database_permissions"),
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="branch",
                    name="manager",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='branches', to='accounts.accountmanager', verbose_name='account manager'),
                ),
                migrations.AlterField(
                    model_name="visit",
                    name="manager",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='visits', to='accounts.accountmanager', verbose_name='account manager'),
                ),
            ],
            database_operations=[],
        ),
    ]
