"""Timeline lines keep the hand-over department as a code too, and the lines written before
carry the outcome or department as text in the writer's language ("Outcome: Retained (policy
kept)", "结果：挽留成功（保单保留）", "客服部: 已提交审核"): turn those into codes, so they read
in the reader's language as well."""

from django.db import migrations, models

# The labels as they were rendered into the text, in both catalogues at the time.
OUTCOMES = {
    "pending": ("Pending", "待定"),
    "retained": ("Retained (policy kept)", "挽留成功（保单保留）"),
    "surrendered": ("Surrendered", "已退保"),
    "cancelled": ("Cancelled", "已撤单"),
}
DEPARTMENTS = {
    "underwriting": ("Underwriting (契约)", "契约部"),
    "customer_service": ("Customer service (客服)", "客服部"),
    "other": ("Other department", "其他部门"),
}


def _department_and_note(text):
    for code, labels in DEPARTMENTS.items():
        for label in labels:
            if text == label:
                return code, ""
            if text.startswith(f"{label}: "):
                return code, text[len(label) + 2 :]
    return None, text


def forwards(apps, schema_editor):
    CaseEvent = apps.get_model("service", "CaseEvent")
    outcomes = {}
    for code, (english, chinese) in OUTCOMES.items():
        outcomes[f"Outcome: {english}"] = code
        outcomes[f"结果：{chinese}"] = code
    for event in CaseEvent.objects.filter(kind="details", outcome="", text__in=list(outcomes)):
        event.outcome = outcomes[event.text]
        event.text = ""
        event.save(update_fields=["outcome", "text"])
    for event in CaseEvent.objects.filter(kind="status", to_status="waiting", department=""):
        code, note = _department_and_note(event.text)
        if code:
            event.department, event.text = code, note
            event.save(update_fields=["department", "text"])


class Migration(migrations.Migration):
    dependencies = [("service", "0003_case_event_outcome")]

    operations = [
        migrations.AddField(
            model_name="caseevent",
            name="department",
            field=models.CharField(
                blank=True,
                choices=[
                    ("underwriting", "Underwriting (契约)"),
                    ("customer_service", "Customer service (客服)"),
                    ("other", "Other department"),
                ],
                max_length=20,
                verbose_name="department involved",
            ),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
