"""Identity: the account managers and who supervises them. Depends on no domain app."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.querysets import ScopedQuerySet
from core.names import full_name
from core.validators import mobile_validator


class AccountManagerQuerySet(ScopedQuerySet):
    manager_path = ""


class AccountManager(models.Model):
    """An insurer's bancassurance account manager (客户经理): the person who keeps branches.

    The table keeps its first name (grading_accountmanager): the model moved here from grading
    so that every app can point at it without depending on the grading ladder.
    """

    class EntryRoute(models.TextChoices):
        NEW_HIRE = "new_hire", _("New hire")
        AFFILIATION = "affiliation", _("Same-grade affiliation (同职级挂靠)")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="account_manager",
        verbose_name=_("user"),
    )
    employee_number = models.CharField(_("employee number"), max_length=20, unique=True)
    hire_date = models.DateField(_("hire date"))
    mobile = models.CharField(_("mobile"), max_length=11, validators=[mobile_validator])
    # The supervisor is a user, not a manager profile: supervisors need not sell themselves.
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="team_members",
        verbose_name=_("supervisor"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    entry_route = models.CharField(
        _("entry route"), max_length=12, choices=EntryRoute.choices, default=EntryRoute.NEW_HIRE
    )
    previous_employer = models.CharField(_("previous employer"), max_length=100, blank=True)
    previous_title = models.CharField(_("previous title"), max_length=100, blank=True)
    affiliation_reason = models.TextField(_("affiliation reason"), blank=True)

    objects = AccountManagerQuerySet.as_manager()

    class Meta:
        db_table = "grading_accountmanager"
        verbose_name = _("account manager (客户经理)")
        verbose_name_plural = _("account managers (客户经理)")
        ordering = ["employee_number"]
        indexes = [
            models.Index(fields=["is_active", "supervisor"]),
            models.Index(fields=["entry_route"]),
        ]
        constraints = [
            # 同职级挂靠 must say where the person came from and why they were placed so.
            models.CheckConstraint(
                condition=~models.Q(entry_route="affiliation")
                | (~models.Q(previous_employer="") & ~models.Q(affiliation_reason="")),
                name="manager_affiliation_documented",
            ),
        ]

    def __str__(self):
        return f"{self.display_name} ({self.employee_number})"

    @property
    def display_name(self):
        return full_name(self.user)
