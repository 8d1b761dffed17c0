from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from config.names import full_name
from config.validators import mobile_validator


class AccountManager(models.Model):
    """An insurer's bancassurance account manager: the person the ladder grades."""

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

    class Meta:
        verbose_name = _("account manager (客户经理)")
        verbose_name_plural = _("account managers (客户经理)")
        ordering = ["employee_number"]

    def __str__(self):
        return f"{self.display_name} ({self.employee_number})"

    @property
    def display_name(self):
        return full_name(self.user)
