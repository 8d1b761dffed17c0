"""The account manager moves from grading to accounts, keeping its table and rows.

Only Django's picture of the models changes (SeparateDatabaseAndState): the table keeps its
name, grading_accountmanager, so no row is copied. grading.0009 renames the content type,
once grading has let go of the model.
"""

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        # The level has left the manager row before the model moves.
        ("grading", "0008_current_level"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="AccountManager",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "employee_number",
                            models.CharField(
                                max_length=20, unique=True, verbose_name="employee number"
                            ),
                        ),
                        ("hire_date", models.DateField(verbose_name="hire date")),
                        (
                            "mobile",
                            models.CharField(
                                max_length=11,
                                validators=[
                                    django.core.validators.RegexValidator(
                                        "^1[3-9]\\d{9}$",
                                        "Enter a mainland mobile number: 11 digits starting "
                                        "with 1, e.g. 13812345678.",
                                        code="invalid_mobile",
                                    )
                                ],
                                verbose_name="mobile",
                            ),
                        ),
                        ("is_active", models.BooleanField(default=True, verbose_name="active")),
                        (
                            "entry_route",
                            models.CharField(
                                choices=[
                                    ("new_hire", "New hire"),
                                    ("affiliation", "Same-grade affiliation (同职级挂靠)"),
                                ],
                                default="new_hire",
                                max_length=12,
                                verbose_name="entry route",
                            ),
                        ),
                        (
                            "previous_employer",
                            models.CharField(
                                blank=True, max_length=100, verbose_name="previous employer"
                            ),
                        ),
                        (
                            "previous_title",
                            models.CharField(
                                blank=True, max_length=100, verbose_name="previous title"
                            ),
                        ),
                        (
                            "affiliation_reason",
                            models.TextField(blank=True, verbose_name="affiliation reason"),
                        ),
                        (
                            "supervisor",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="team_members",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="supervisor",
                            ),
                        ),
                        (
                            "user",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="account_manager",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="user",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "account manager (客户经理)",
                        "verbose_name_plural": "account managers (客户经理)",
                        "db_table": "grading_accountmanager",
                        "ordering": ["employee_number"],
                        "indexes": [
                            models.Index(
                                fields=["is_active", "supervisor"],
                                name="grading_acc_is_acti_8aa30f_idx",
                            ),
                            models.Index(
                                fields=["entry_route"], name="grading_acc_entry_r_eae281_idx"
                            ),
                        ],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(
                                    models.Q(("entry_route", "affiliation"), _negated=True),
                                    models.Q(
                                        models.Q(("previous_employer", ""), _negated=True),
                                        models.Q(("affiliation_reason", ""), _negated=True),
                                    ),
                                    _connector="OR",
                                ),
                                name="manager_affiliation_documented",
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
