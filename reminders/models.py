from django.conf import settings
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from accounts.models import AccountManager
from branches.models import BranchOwnedQuerySet


class ReminderKind(models.TextChoices):
    BIRTHDAYS = "birthdays", _("Bank staff birthdays")
    STOCK_ALERT = "stock_alert", _("Stock alert (low, out or at risk)")
    STOCK_DIGEST = "stock_digest", _("Daily stock digest")
    STOCK_ESCALATION = "stock_escalation", _("Items out of stock for long (supervisors)")
    WEEKLY = "weekly", _("Weekly digest: overdue cases and branches to visit")
    GRADE_DECISION = "grade_decision", _("Grade assessment outcome")
    UNIT_REPORT = "unit_report", _("Monthly unit report (unit heads)")


class NotificationQuerySet(models.QuerySet):
    """The scoping rule for emails: one's own, plus those of the managers the user may see
    (accounts.access.visible_to: a supervisor's team, a city's or the province's teams).

    A notification belongs to a user, not to an AccountManager, so "my own" is the recipient:
    supervisors and heads have no profile, yet receive the long-outage copies and reports.
    """

    def for_user(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        visible = AccountManager.objects.for_user(user).values("pk")
        return self.filter(Q(recipient_id=user.pk) | Q(recipient__account_manager__in=visible))

    def get_for_user(self, user, **lookup):
        try:
            return self.for_user(user).get(**lookup)
        except (self.model.DoesNotExist, ValueError, TypeError):
            raise Http404 from None


class Notification(models.Model):
    """The outbox: one row per email, whose unique dedupe key makes sending idempotent."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=30, choices=ReminderKind.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    # e.g. "birthday:<user id>:<date>": a doubled beat or a retried task finds the same row.
    dedupe_key = models.CharField(_("dedupe key"), max_length=200, unique=True)
    subject = models.CharField(_("subject"), max_length=200)
    body_text = models.TextField(_("text body"))
    body_html = models.TextField(_("HTML body"), blank=True)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["kind", "-created_at"]),
            models.Index(fields=["recipient", "-created_at"]),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.recipient} ({self.get_status_display()})"


class ReminderPreference(models.Model):
    """What a user wants to receive, and in which language. No row: everything on, Chinese."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reminder_preference",
        verbose_name=_("user"),
    )
    language = models.CharField(
        _("email language"), max_length=10, choices=settings.LANGUAGES, default="zh-hans"
    )
    birthdays = models.BooleanField(_("bank staff birthdays"), default=True)
    stock_alert = models.BooleanField(_("stock alerts"), default=True)
    stock_digest = models.BooleanField(_("daily stock digest"), default=True)
    stock_escalation = models.BooleanField(_("items out of stock for long"), default=True)
    weekly = models.BooleanField(
        _("weekly digest (overdue cases, branches to visit)"), default=True
    )

    class Meta:
        verbose_name = _("reminder preference")
        verbose_name_plural = _("reminder preferences")

    def __str__(self):
        return str(self.user)

    def wants(self, kind):
        return bool(getattr(self, kind, True))


class StockEpisode(models.Model):
    """One stretch during which a branch's item is below its threshold (low, out or at risk).

    It opens on the first bad stock state and closes when the item is restocked above its
    threshold; the immediate alert is sent once per episode. Kept here, not in documents,
    so that reminders can be built and tested without the documents models.
    """

    class State(models.TextChoices):
        LOW = "low", _("Low")
        OUT = "out", _("Out")
        AT_RISK = "at_risk", _("At risk")

    # The documents.BranchStock id: no foreign key, so this app stands without documents.
    branch_stock_id = models.PositiveBigIntegerField(_("branch stock id"))
    branch = models.ForeignKey(
        "branches.Branch",
        on_delete=models.CASCADE,
        related_name="stock_episodes",
        verbose_name=_("branch"),
    )
    item_name = models.CharField(_("item"), max_length=120)
    state = models.CharField(_("state"), max_length=10, choices=State.choices)
    opened_on = models.DateField(_("opened on"))
    # The day the item last ran out, for copying long outages to the supervisor.
    out_since = models.DateField(_("out since"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    objects = BranchOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("stock episode")
        verbose_name_plural = _("stock episodes")
        ordering = ["-opened_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["branch_stock_id"],
                condition=models.Q(closed_on__isnull=True),
                name="reminders_one_open_episode_per_stock",
            ),
        ]
        indexes = [
            models.Index(fields=["branch_stock_id", "closed_on"]),
            models.Index(
                fields=["out_since"],
                condition=models.Q(closed_on__isnull=True),
                name="reminders_open_out_since",
            ),
        ]

    def __str__(self):
        return f"{self.branch} {self.item_name} {self.opened_on}"


class CalendarFeed(models.Model):
    """The secret address of a user's calendar (.ics) feed, for a phone calendar to subscribe.

    The phone has no session: the token alone lets it in, so it is long and random, and
    regenerating it (reminders.services.rotate_calendar_token) kills the old address.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_feed",
        verbose_name=_("user"),
    )
    token = models.CharField(_("token"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return str(self.user)
