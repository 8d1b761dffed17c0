"""The stock catalogue, the default review checks, and the roles' permissions.

Catalogue rows are data a supervisor may edit in the admin (thresholds, active); the codes
are what the code refers to ("poster", "display_board", "application_form").
"""

from decimal import Decimal

from django.db import migrations

from accounts.roles import grant, revoke

MANAGER = "客户经理 Account manager"
SUPERVISOR = "主管 Supervisor"

# code, name, unit, default threshold, serial-numbered, display material
CATALOGUE = [
    ("application_form", "投保单 Application form", "份", 50, True, False),
    ("promotional_material", "宣传资料 Promotional material", "份", 30, False, False),
    ("summary_sheet", "汇总单 Summary sheet", "份", 20, False, False),
    ("poster", "海报 Poster", "张", 2, False, True),
    ("brochure", "宣传彩页 Brochure", "份", 50, False, True),
    ("display_board", "宣传展板 Display board", "块", 0, False, True),
    ("acrylic_stand", "有机玻璃架 Acrylic stand", "个", 0, False, True),
]

# rule, limit, blocking
REVIEW_CHECKS = [
    ("signatures", None, True),
    ("id_copy", None, True),
    ("bank_account", None, True),
    ("age_limit", Decimal("65"), False),
    ("premium_income", Decimal("0.5"), False),
]

MODELS = [
    "stockitem",
    "branchstock",
    "stockmovement",
    "serialrange",
    "serialform",
    "reviewcheck",
    "intakebatch",
    "intakeform",
    "handover",
    "layoutplacement",
]
MANAGER_PERMISSIONS = [f"documents.view_{model}" for model in MODELS] + [
    "documents.add_stockmovement",
    "documents.add_serialrange",
    "documents.add_intakebatch",
    "documents.change_intakeform",
    "documents.add_handover",
    "documents.add_layoutplacement",
    "documents.change_layoutplacement",
]
SUPERVISOR_PERMISSIONS = [f"documents.view_{model}" for model in MODELS] + [
    "documents.change_stockitem",
    "documents.add_stockitem",
    "documents.change_branchstock",
    "documents.change_reviewcheck",
    "documents.add_reviewcheck",
]


def forwards(apps, schema_editor):
    StockItem = apps.get_model("documents", "StockItem")
    ReviewCheck = apps.get_model("documents", "ReviewCheck")
    for code, name, unit, threshold, controlled, display in CATALOGUE:
        StockItem.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "unit": unit,
                "default_threshold": threshold,
                "is_controlled": controlled,
                "is_display": display,
            },
        )
    for rule, limit, blocking in REVIEW_CHECKS:
        ReviewCheck.objects.get_or_create(rule=rule, defaults={"limit": limit, "blocking": blocking})
    grant(apps, MANAGER, MANAGER_PERMISSIONS)
    grant(apps, SUPERVISOR, SUPERVISOR_PERMISSIONS)


def backwards(apps, schema_editor):
    revoke(apps, MANAGER, MANAGER_PERMISSIONS)
    revoke(apps, SUPERVISOR, SUPERVISOR_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial"), ("grading", "0002_roles")]
    operations = [migrations.RunPython(forwards, backwards)]
