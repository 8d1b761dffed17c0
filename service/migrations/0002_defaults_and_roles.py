from django.db import migrations

from accounts.roles import grant, revoke

MANAGER = "客户经理 Account manager"
SUPERVISOR = "主管 Supervisor"

MANAGER_PERMISSIONS = [
    "service.view_case",
    "service.add_case",
    "service.change_case",
    "service.view_caseevent",
    "service.add_caseevent",
    "service.view_surrenderdetail",
    "service.add_surrenderdetail",
    "service.change_surrenderdetail",
    "service.view_slarule",
    "service.view_servicesettings",
]
SUPERVISOR_PERMISSIONS = [
    "service.view_case",
    "service.change_case",
    "service.view_caseevent",
    "service.add_caseevent",
    "service.view_surrenderdetail",
    "service.view_slarule",
    "service.change_slarule",
    "service.view_servicesettings",
    "service.change_servicesettings",
]

# Hours to resolve, by kind, for (urgent, normal, low). A cancellation races the
# cooling-off clock; a large customer's follow-up is a relationship, not a ticket.
DEFAULT_SLA_HOURS = {
    "complaint": (24, 48, 72),
    "hard_question": (24, 72, 120),
    "surrender": (24, 48, 72),
    "cancellation": (8, 24, 24),
    "servicing": (48, 120, 168),
    "consultation_phone": (4, 24, 48),
    "consultation_on_site": (24, 72, 120),
    "large_customer": (48, 168, 336),
    "bank_staff": (24, 72, 120),
    "other": (48, 120, 168),
}
PRIORITIES = ("urgent", "normal", "low")


def forwards(apps, schema_editor):
    SlaRule = apps.get_model("service", "SlaRule")
    ServiceSettings = apps.get_model("service", "ServiceSettings")
    for kind, hours in DEFAULT_SLA_HOURS.items():
        for priority, value in zip(PRIORITIES, hours, strict=True):
            SlaRule.objects.get_or_create(kind=kind, priority=priority, defaults={"hours": value})
    ServiceSettings.objects.get_or_create(pk=1, defaults={"cooling_off_days": 15})
    grant(apps, MANAGER, MANAGER_PERMISSIONS)
    grant(apps, SUPERVISOR, SUPERVISOR_PERMISSIONS)


def backwards(apps, schema_editor):
    revoke(apps, MANAGER, MANAGER_PERMISSIONS)
    revoke(apps, SUPERVISOR, SUPERVISOR_PERMISSIONS)
    apps.get_model("service", "SlaRule").objects.all().delete()
    apps.get_model("service", "ServiceSettings").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("service", "0001_initial"),
        ("grading", "0002_roles"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
