"""A manager's level moves out of the manager row into grading's own CurrentLevel.

So that the account manager can move to the accounts app, which must know nothing of the
ladder. Every row's level is copied over before the column goes, and copied back on reversal.
"""

import django.db.models.deletion
from django.db import migrations, models

import grading.models


def copy_levels(apps, schema_editor):
    AccountManager = apps.get_model("grading", "AccountManager")
    CurrentLevel = apps.get_model("grading", "CurrentLevel")
    CurrentLevel.objects.bulk_create(
        CurrentLevel(manager_id=manager_id, level_id=level_id)
        for manager_id, level_id in AccountManager.objects.values_list("pk", "level_id")
    )


def copy_levels_back(apps, schema_editor):
    AccountManager = apps.get_model("grading", "AccountManager")
    CurrentLevel = apps.get_model("grading", "CurrentLevel")
    for manager_id, level_id in CurrentLevel.objects.values_list("manager_id", "level_id"):
        AccountManager.objects.filter(pk=manager_id).update(level_id=level_id)


class Migration(migrations.Migration):
    dependencies = [
        ("grading", "0007_filter_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="CurrentLevel",
            fields=[
                (
                    "manager",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="current_level",
                        serialize=False,
                        to="grading.accountmanager",
                        verbose_name="account manager",
                    ),
                ),
                (
                    "level",
                    models.ForeignKey(
                        default=grading.models.entry_level_id,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="current_holders",
                        to="grading.level",
                        verbose_name="current level",
                    ),
                ),
            ],
            options={
                "verbose_name": "current level (现职级)",
                "verbose_name_plural": "current levels (现职级)",
            },
        ),
        migrations.RunPython(copy_levels, copy_levels_back),
        migrations.RemoveField(model_name="accountmanager", name="level"),
    ]
