"""A team dashboard reads its ten managers' twelve weeks of VisitDay. The only index that
could serve it from the index alone was the day index (0016), so PostgreSQL read every
manager's days of the period and dropped all but the team's (15,650 rows for 783 at scale
1, 3.2 ms). The new (manager, day) index carries the count on PostgreSQL (INCLUDE, as in
0016; same name and key as the model's Index, so Django's state still matches it): 0.6 ms.
The foreign key's own index goes: the unique (manager, day) already starts with it."""

import django.db.models.deletion
from django.db import migrations, models

from core.migration_ops import include_on_postgresql


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_user_sessions"),
        ("branches", "0021_verbose_names"),
    ]

    operations = [
        migrations.AlterField(
            model_name="visitday",
            name="manager",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="visit_days",
                to="accounts.accountmanager",
                verbose_name="account manager",
            ),
        ),
        migrations.AddIndex(
            model_name="visitday",
            index=models.Index(fields=["manager", "day"], name="visitday_manager_day_visits"),
        ),
        include_on_postgresql(
            table="branches_visitday",
            index="visitday_manager_day_visits",
            columns=("manager_id", "day"),
            include=("visits",),
        ),
    ]
