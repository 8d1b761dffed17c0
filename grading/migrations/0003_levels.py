"""The ten levels of 四等十级, lowest first. Names come from translated labels in the model."""

from django.db import migrations, models

LEVELS = [
    (1, "associate", "associate", None),
    (2, "supervisor-1", "supervisor", 1),
    (3, "supervisor-2", "supervisor", 2),
    (4, "supervisor-3", "supervisor", 3),
    (5, "manager-1", "manager", 1),
    (6, "manager-2", "manager", 2),
    (7, "manager-3", "manager", 3),
    (8, "senior-1", "senior", 1),
    (9, "senior-2", "senior", 2),
    (10, "senior-3", "senior", 3),
]


def forwards(apps, schema_editor):
    Level = apps.get_model("grading", "Level")
    for rank, code, tier, grade in LEVELS:
        Level.objects.update_or_create(code=code, defaults={"rank": rank, "tier": tier, "grade": grade})


def backwards(apps, schema_editor):
    apps.get_model("grading", "Level").objects.filter(code__in=[row[1] for row in LEVELS]).delete()


class Migration(migrations.Migration):
    dependencies = [("grading", "0002_roles")]

    operations = [
        migrations.CreateModel(
            name="Level",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("rank", models.PositiveSmallIntegerField(unique=True, verbose_name="rank")),
                ("code", models.SlugField(max_length=20, unique=True, verbose_name="code")),
                (
                    "tier",
                    models.CharField(
                        choices=[
                            ("associate", "Customer Associate (客户专员)"),
                            ("supervisor", "Customer Supervisor (客户主任)"),
                            ("manager", "Account Manager (客户经理)"),
                            ("senior", "Senior Account Manager (高级客户经理)"),
                        ],
                        max_length=12,
                        verbose_name="tier",
                    ),
                ),
                (
                    "grade",
                    models.PositiveSmallIntegerField(
                        blank=True, help_text="Empty for 客户专员.", null=True, verbose_name="grade within tier"
                    ),
                ),
            ],
            options={
                "verbose_name": "level (职级)",
                "verbose_name_plural": "levels (职级)",
                "ordering": ["rank"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("rank__gte", 1), ("rank__lte", 10)), name="level_rank_1_to_10"
                    ),
                    models.UniqueConstraint(fields=("tier", "grade"), name="level_tier_grade_unique"),
                ],
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]
