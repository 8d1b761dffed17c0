"""A branch's visits indexed newest first with the id as tie-break, as the "latest visit"
reads order them (branches.selectors.latest_planned_visit): PostgreSQL then reads each
branch's latest visit straight from the index instead of sorting its visits by id. The new
index starts with the old one's columns, so the old one goes (after the new one exists)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("branches", "0018_branch_manager_id")]

    operations = [
        migrations.AddIndex(
            model_name="visit",
            index=models.Index(
                fields=["branch", "-visited_at", "-id"], name="visit_branch_latest"
            ),
        ),
        migrations.RemoveIndex(model_name="visit", name="branches_vi_branch__3634b5_idx"),
    ]
