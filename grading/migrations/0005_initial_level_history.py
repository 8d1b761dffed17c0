"""Managers that existed before the ladder start at 客户专员; give each an "initial" history row
so that the current level and the history agree from the first day."""

from django.db import migrations


def forwards(apps, schema_editor):
    AccountManager = apps.get_model("grading", "AccountManager")
    LevelChange = apps.get_model("grading", "LevelChange")
    for manager in AccountManager.objects.filter(level_changes__isnull=True):
        LevelChange.objects.create(
            manager=manager,
            from_level=None,
            to_level_id=manager.level_id,
            reason="initial",
            effective_on=manager.hire_date,
        )


class Migration(migrations.Migration):
    dependencies = [("grading", "0004_ladder_and_assessments")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
