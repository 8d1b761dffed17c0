"""Branch.planned_visit_on: the next visit planned at the branch's latest visit, stored (issue
22): the planner, the stock checks and the calendar feed read it instead of a subquery per
branch. Filled here from the visits; branches.signals keeps it in step from now on."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_planned_visits(apps, schema_editor):
    Branch = apps.get_model("branches", "Branch")
    Visit = apps.get_model("branches", "Visit")
    alias = schema_editor.connection.alias
    latest = (
        Visit.objects.using(alias)
        .filter(branch=OuterRef("pk"))
        .order_by("-visited_at", "-pk")
        .values("next_visit_on")[:1]
    )
    Branch.objects.using(alias).update(planned_visit_on=Subquery(latest))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_user_sessions"),
        ("branches", "0019_visit_branch_latest"),
    ]

    operations = [
        migrations.AddField(
            model_name="branch",
            name="planned_visit_on",
            field=models.DateField(
                blank=True, editable=False, null=True, verbose_name="planned next visit"
            ),
        ),
        migrations.AddIndex(
            model_name="branch",
            index=models.Index(fields=["planned_visit_on"], name="branch_planned_visit_on"),
        ),
        migrations.RunPython(fill_planned_visits, migrations.RunPython.noop),
    ]
