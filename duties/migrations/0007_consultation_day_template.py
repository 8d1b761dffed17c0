"""A default template for the monthly consultation day (网点咨询日).

Fulfilled like a visit with the purpose "consultation day": a visit logged with that purpose
ticks it, and so does a consultation day recorded in outreach (duties.services.tick_for_purpose).
"""

from django.db import migrations


def add_template(apps, schema_editor):
    DutyTask = apps.get_model("duties", "DutyTask")
    ChecklistTemplate = apps.get_model("duties", "ChecklistTemplate")
    task = DutyTask.objects.filter(code="consultation-day").first()
    if task is None:
        return
    ChecklistTemplate.objects.get_or_create(
        task=task,
        frequency="monthly",
        branch_tier="",
        defaults={"per_branch": False, "fulfilment": "visit", "visit_purpose": "consultation"},
    )


class Migration(migrations.Migration):
    dependencies = [("duties", "0006_attendance_from_events_and_work_log")]

    # Reversing keeps the row, as 0005 does: supervisors may have edited it.
    operations = [migrations.RunPython(add_template, migrations.RunPython.noop)]
