from django.conf import settings
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from accounts.models import AccountManager
from branches.models import BranchOwnedQuerySet
from service.models import Case


class ReminderKind(models.TextChoices):
    BIRTHDAYS = "birthdays", _("Bank staff birthdays")
    STOCK_ALERT = "stock_alert", _("Stock alert (low, out or at risk)")
    STOCK_DIGEST = "stock_digest", _("Daily stock digest")
    STOCK_ESCALATION = "stock_escalation", _("Items out of stock for long (supervisors)")
    WEEKLY = "weekly", _("Weekly digest: overdue cases and branches to visit")
    GRADE_DECISION = "grade_decision", _("Grade assessment outcome")
    UNIT_REPORT = "unit_report", _("Monthly unit report (unit heads)")
    EVENT_REPORTED = "event_reported", _("Abnormal event reported at a team branch")
    EVENT_ESCALATED = "event_escalated", _("Abnormal event past its response time")
    DEPARTMENT_HANDOVER = "department_handover", _("Case handed over to a department")


# Kinds addressed to a mailbox or group rather than chosen by a user on their settings page.
NOT_USER_KINDS = frozenset({ReminderKind.DEPARTMENT_HANDOVER})


class ChannelKind(models.TextChoices):
    WECOM = "wecom", _("WeCom group robot")
    DINGTALK = "dingtalk", _("DingTalk group robot")


# Where each kind of robot lives; the credential (WeCom's key, DingTalk's access token) is
# kept apart, encrypted, and added to the address only when posting.
DEFAULT_WEBHOOK_URLS = {
    ChannelKind.WECOM: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send",
    ChannelKind.DINGTALK: "https://oapi.dingtalk.com/robot/send",
}


class ChannelQuerySet(models.QuerySet):
    def available_to(self, user):
        """The active channels a user may send their messages to: their own and their team's
        (the team they belong to as a manager, or the teams they head)."""
        if not user.is_authenticated:
            return self.none()
        teams = Q(team__head=user)
        team_id = AccountManager.objects.filter(user=user).values("team_id")
        teams |= Q(team_id__in=team_id)
        return self.filter(Q(user=user) | teams, is_active=True)


class Channel(models.Model):
    """A group robot (WeCom or DingTalk) messages can be posted to, for one user or one team.

    The token (WeCom's robot key, DingTalk's access token) and DingTalk's signing secret are
    stored encrypted (reminders.crypto) or named as environment variables; neither is ever
    shown back in full.
    """

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=ChannelKind.choices)
    url = models.URLField(
        _("webhook address"),
        max_length=300,
        blank=True,
        help_text=_("Leave empty for the robot's usual address. Without the key or token."),
    )
    token_encrypted = models.TextField(_("token (encrypted)"), blank=True, editable=False)
    token_env = models.CharField(
        _("token from environment variable"),
        max_length=100,
        blank=True,
        help_text=_(
            "The name of an environment variable holding the token, instead of storing it."
        ),
    )
    secret_encrypted = models.TextField(_("signing secret (encrypted)"), blank=True, editable=False)
    secret_env = models.CharField(
        _("signing secret from environment variable"), max_length=100, blank=True
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="message_channels",
        verbose_name=_("user"),
    )
    team = models.ForeignKey(
        "accounts.OrgUnit",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="message_channels",
        limit_choices_to={"kind": "team"},
        verbose_name=_("team"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ChannelQuerySet.as_manager()

    class Meta:
        verbose_name = _("message channel")
        verbose_name_plural = _("message channels")
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["is_active", "kind"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=True) | Q(team__isnull=True),
                name="reminders_channel_user_or_team",
                violation_error_message=_("A channel belongs to a user or a team, not both."),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.get_kind_display()})"

    @property
    def endpoint(self):
        return self.url or DEFAULT_WEBHOOK_URLS.get(self.kind, "")


class ChannelChoice(models.Model):
    """Where a user wants one kind of message: by email (no channel) or to a group robot.

    Several rows for a kind send it to each; no row for a kind means email. Generic over the
    kinds, so a new kind needs no new column.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="channel_choices",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=ReminderKind.choices)
    channel = models.ForeignKey(
        Channel,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="choices",
        verbose_name=_("channel"),
        help_text=_("Empty: by email."),
    )

    class Meta:
        verbose_name = _("channel choice")
        verbose_name_plural = _("channel choices")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "channel"], name="reminders_channel_choice_unique"
            ),
            models.UniqueConstraint(
                fields=["user", "kind"],
                condition=Q(channel__isnull=True),
                name="reminders_channel_choice_one_email",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_kind_display()} → {self.channel or _('Email')}"


class DepartmentContact(models.Model):
    """Where a department hears of a case handed over to it: a mailbox, a group robot or both.

    The department is no user of Branchdesk, so its notifications are addressed to the
    mailbox or the channel itself.
    """

    department = models.CharField(
        _("department"), max_length=20, choices=Case.Department.choices, unique=True
    )
    email = models.EmailField(_("mailbox"), blank=True)
    channel = models.ForeignKey(
        Channel,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="departments",
        verbose_name=_("channel"),
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="zh-hans"
    )

    class Meta:
        verbose_name = _("department contact")
        verbose_name_plural = _("department contacts")
        ordering = ["department"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(email="") | Q(channel__isnull=False),
                name="reminders_department_contact_reachable",
                violation_error_message=_("Give the department a mailbox, a channel or both."),
            ),
        ]

    def __str__(self):
        return self.get_department_display()


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
    """The outbox: one row per message and channel, whose unique dedupe key makes sending
    idempotent. No channel: by email, to the recipient or to ``address`` (a department's
    mailbox, which is no user); with a channel: posted to that group robot. A channel's key is
    the message's key plus ``@channel:<id>`` (reminders.services.channel_key)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=30, choices=ReminderKind.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    address = models.EmailField(
        _("mailbox address"),
        blank=True,
        help_text=_("A mailbox that is no user's, e.g. a department's."),
    )
    channel = models.ForeignKey(
        Channel,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("channel"),
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
        constraints = [
            models.CheckConstraint(
                condition=Q(recipient__isnull=False) | ~Q(address="") | Q(channel__isnull=False),
                name="reminders_notification_has_recipient",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.addressee} ({self.get_status_display()})"

    @property
    def addressee(self):
        """Who or where the message goes: the channel, else the user, else the mailbox."""
        return self.channel or self.recipient or self.address

    @property
    def email_address(self):
        return self.address or (self.recipient.email if self.recipient else "")


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
    event_reported = models.BooleanField(_("abnormal events reported by my team"), default=True)
    event_escalated = models.BooleanField(
        _("abnormal events past their response time"), default=True
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
