"""The week's checklist joins the stored team figures (issue 22). The rows stored before
have no checklist counts: they are dropped, so the next unit page (or beat, within five
minutes) counts every team anew instead of showing zeros until then."""

from django.db import migrations, models


def forget_counts(apps, schema_editor):
    apps.get_model("desk", "TeamFigures").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_user_sessions"),
        ("desk", "0001_team_figures"),
    ]

    operations = [
        migrations.AddField(
            model_name="teamfigures",
            name="checklist_done",
            field=models.PositiveIntegerField(
                default=0, verbose_name="checklist items done this week"
            ),
        ),
        migrations.AddField(
            model_name="teamfigures",
            name="checklist_items",
            field=models.PositiveIntegerField(default=0, verbose_name="checklist items this week"),
        ),
        migrations.AddConstraint(
            model_name="teamfigures",
            constraint=models.CheckConstraint(
                condition=models.Q(("checklist_done__lte", models.F("checklist_items"))),
                name="team_figures_done_within_items",
            ),
        ),
        migrations.RunPython(forget_counts, migrations.RunPython.noop),
    ]
