"""The default checklist templates ship as data: a fresh install has a checklist on day one.

Supervisors change them in the admin (frequency, tier, active); the demo no longer is the only
place they exist. Written with plain values so later model changes do not break the migration.
"""

from django.db import migrations

# task code, frequency, branch tier ("" = every tier), per branch, fulfilled by, visit purpose
TEMPLATES = [
    ("attendance", "daily", "", False, "attendance", ""),
    ("daily-log", "daily", "", False, "manual", ""),
    ("visit-branch", "weekly", "A", True, "visit", "relationship"),
    ("deliver-materials", "weekly", "A", True, "visit", "delivery"),
    ("collect-forms", "weekly", "", False, "visit", "collection"),
    ("visit-branch", "monthly", "B", True, "visit", "relationship"),
    ("branch-training", "monthly", "", True, "training", ""),
    ("pass-on-policy", "monthly", "", False, "manual", ""),
]


def add_templates(apps, schema_editor):
    DutyTask = apps.get_model("duties", "DutyTask")
    ChecklistTemplate = apps.get_model("duties", "ChecklistTemplate")
    tasks = DutyTask.objects.in_bulk([row[0] for row in TEMPLATES], field_name="code")
    for code, frequency, tier, per_branch, fulfilment, purpose in TEMPLATES:
        if code not in tasks:
            continue
        ChecklistTemplate.objects.get_or_create(
            task=tasks[code],
            frequency=frequency,
            branch_tier=tier,
            defaults={"per_branch": per_branch, "fulfilment": fulfilment, "visit_purpose": purpose},
        )


class Migration(migrations.Migration):
    dependencies = [
        ("duties", "0004_manager_in_accounts"),
        # After the manager moved to accounts: the models render only once that is complete.
        ("grading", "0009_manager_in_accounts"),
    ]

    operations = [
        # Reversing keeps the rows: supervisors may have edited them, and checklist items
        # point at them.
        migrations.RunPython(add_templates, migrations.RunPython.noop),
    ]
