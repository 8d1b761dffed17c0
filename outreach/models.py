import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.querysets import ScopedQuerySet


class OutreachEventQuerySet(ScopedQuerySet):
    manager_path = "organiser"


class OutreachEvent(models.Model):
    """网点咨询日 / 社区活动: customers met outside the counter's daily routine."""

    class Kind(models.TextChoices):
        CONSULTATION = "consultation", _("Consultation day at a branch")
        COMMUNITY = "community", _("Community event")
        COMPANY = "company", _("Company event")
        OTHER = "other", _("Other event")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    organiser = models.ForeignKey(
        "accounts.AccountManager",
        on_delete=models.PROTECT,
        related_name="outreach_events",
        verbose_name=_("organiser"),
    )
    branches = models.ManyToManyField(
        "branches.Branch", blank=True, related_name="outreach_events", verbose_name=_("branches")
    )
    place = models.CharField(
        _("place"),
        max_length=200,
        blank=True,
        help_text=_("Off-site: the community, company or hall where it was held."),
    )
    held_on = models.DateField(_("date"), default=timezone.localdate)
    starts_at = models.TimeField(_("starts at"))
    ends_at = models.TimeField(_("ends at"))
    staff = models.ManyToManyField(
        "staff.BranchStaff",
        blank=True,
        related_name="outreach_events",
        verbose_name=_("bank staff involved"),
    )
    customers_reached = models.PositiveIntegerField(_("customers reached"), default=0)
    leads = models.PositiveIntegerField(_("leads"), default=0)
    policies = models.ManyToManyField(
        "sales.Policy", blank=True, related_name="outreach_events", verbose_name=_("policies")
    )
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = OutreachEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("outreach event")
        verbose_name_plural = _("outreach events")
        ordering = ["-held_on", "-starts_at", "-pk"]
        indexes = [
            models.Index(fields=["organiser", "-held_on"]),
            models.Index(fields=["held_on"]),
            models.Index(fields=["kind"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gte=models.F("starts_at")),
                name="outreach_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(customers_reached__gte=0) & models.Q(leads__gte=0),
                name="outreach_counts_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.held_on:%Y-%m-%d}"

    @property
    def starts(self):
        return timezone.make_aware(datetime.datetime.combine(self.held_on, self.starts_at))

    @property
    def ends(self):
        return timezone.make_aware(datetime.datetime.combine(self.held_on, self.ends_at))
