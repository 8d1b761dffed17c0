"""An account manager's duties (职责) and the records that show they were done.

The duty catalogue (DutyArea, DutyTask) is data from a migration, editable in the admin.
ChecklistTemplates say which tasks fall due when; ChecklistItems are one manager's
instances of them, ticked by the records that fulfil them (visits, trainings, attendance)
or by hand.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.querysets import ScopedQuerySet
from branches.models import Branch, BranchOwnedQuerySet, Visit
from core.loading import QuickLoad


class BilingualName(models.Model):
    """Catalogue rows carry a Chinese and an English name; the UI shows the active language."""

    name = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.label

    @property
    def label(self):
        if self.name_en and (get_language() or "").startswith("en"):
            return self.name_en
        return self.name


class DutyArea(BilingualName):
    """A key result area: one of the daily duties or the eight business duties."""

    class Kind(models.TextChoices):
        DAILY = "daily", _("Daily duty")
        BUSINESS = "business", _("Business duty")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    goal = models.TextField(_("goal"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("duty")
        verbose_name_plural = _("duties")
        ordering = ["order", "code"]
        indexes = [models.Index(fields=["kind"])]


class DutyTask(BilingualName):
    """One task within a duty, the unit a checklist item refers to."""

    area = models.ForeignKey(
        DutyArea, on_delete=models.PROTECT, related_name="tasks", verbose_name=_("duty")
    )
    code = models.SlugField(_("code"), max_length=40, unique=True)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("duty task")
        verbose_name_plural = _("duty tasks")
        ordering = ["area__order", "order", "code"]
        indexes = [models.Index(fields=["is_active"])]


class ChecklistTemplate(models.Model):
    """When a task falls due for every account manager, and what fulfils it."""

    class Frequency(models.TextChoices):
        DAILY = "daily", _("Daily")
        WEEKLY = "weekly", _("Weekly")
        MONTHLY = "monthly", _("Monthly")

    class Fulfilment(models.TextChoices):
        VISIT = "visit", _("A visit with the given purpose")
        TRAINING = "training", _("A training record")
        ATTENDANCE = "attendance", _("The day's attendance record")
        WORK_LOG = "work_log", _("The day's submitted work log")
        BRIEFING = "briefing", _("A policy briefing passed on")
        MANUAL = "manual", _("Ticked by hand")

    task = models.ForeignKey(
        DutyTask, on_delete=models.PROTECT, related_name="templates", verbose_name=_("task")
    )
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices)
    per_branch = models.BooleanField(
        _("one item per branch"),
        default=False,
        help_text=_("Create one item for each of the manager's active branches."),
    )
    branch_tier = models.CharField(
        _("branch tier"),
        max_length=1,
        choices=Branch.Tier.choices,
        blank=True,
        help_text=_("Only branches of this tier (empty: every tier). Implies one item per branch."),
    )
    fulfilment = models.CharField(
        _("fulfilled by"), max_length=12, choices=Fulfilment.choices, default=Fulfilment.MANUAL
    )
    visit_purpose = models.CharField(
        _("visit purpose"),
        max_length=20,
        choices=Visit.Purpose.choices,
        blank=True,
        help_text=_("For items fulfilled by a visit: the purpose that ticks them."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("checklist template")
        verbose_name_plural = _("checklist templates")
        ordering = ["frequency", "task__area__order", "task__order"]
        indexes = [models.Index(fields=["is_active", "frequency"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(fulfilment="visit") | ~models.Q(visit_purpose=""),
                name="checklist_template_visit_needs_purpose",
            ),
        ]

    def __str__(self):
        tier = f" · {self.get_branch_tier_display()}" if self.branch_tier else ""
        return f"{self.task} ({self.get_frequency_display()}{tier})"

    @property
    def is_per_branch(self):
        return self.per_branch or bool(self.branch_tier)


class ChecklistItem(QuickLoad):
    """One task due for one manager in one period (a day, a week or a month).

    ``date`` is the first day of the period and ``due_on`` its last, so a weekly item
    shows on every day of its week.
    """

    class TickedBy(models.TextChoices):
        AUTO = "auto", _("Automatically, by a record")
        HAND = "hand", _("By hand")

    manager = models.ForeignKey(
        "accounts.AccountManager",
        on_delete=models.CASCADE,
        related_name="checklist_items",
        verbose_name=_("account manager"),
    )
    date = models.DateField(_("date"))
    due_on = models.DateField(_("due on"))
    task = models.ForeignKey(
        DutyTask, on_delete=models.PROTECT, related_name="items", verbose_name=_("task")
    )
    template = models.ForeignKey(
        ChecklistTemplate,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="items",
        verbose_name=_("template"),
    )
    branch = models.ForeignKey(
        Branch,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="checklist_items",
        verbose_name=_("branch"),
    )
    done = models.BooleanField(_("done"), default=False)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.CharField(_("ticked"), max_length=4, choices=TickedBy.choices, blank=True)
    note = models.TextField(_("note"), blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["date", "task__area__order", "task__order", "branch_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["manager", "date", "task", "branch"],
                name="checklist_item_unique_per_branch",
            ),
            # A NULL branch never equals another NULL, so the rule above needs a twin.
            models.UniqueConstraint(
                fields=["manager", "date", "task"],
                condition=models.Q(branch__isnull=True),
                name="checklist_item_unique_without_branch",
            ),
            models.CheckConstraint(
                condition=models.Q(due_on__gte=models.F("date")),
                name="checklist_item_due_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["manager", "date", "due_on"]),
            models.Index(fields=["manager", "due_on"]),
            models.Index(fields=["done"]),
        ]

    def __str__(self):
        where = f" · {self.branch}" if self.branch_id else ""
        return f"{self.date} {self.task}{where}"

    @property
    def logs_visit(self):
        template = self.template
        return bool(
            template and template.fulfilment == ChecklistTemplate.Fulfilment.VISIT and not self.done
        )


class TrainingSession(models.Model):
    """培训: training or coaching given to bank staff at one or several branches."""

    class Kind(models.TextChoices):
        CENTRALISED = "centralised", _("Centralised training")
        BRANCH = "branch", _("Training at the branch")
        COACHING = "coaching", _("Daily coaching")

    class Trainer(models.TextChoices):
        MANAGER = "manager", _("The account manager personally")
        LECTURER = "lecturer", _("A professional lecturer")
        OTHER = "other", _("Other")

    class Topic(models.TextChoices):
        PRODUCT = "product", _("Product")
        IDEAS = "ideas", _("Sales ideas")
        SKILLS = "skills", _("Sales skills")
        AFTER_SALE = "after_sale", _("After-sale service")
        SURRENDER = "surrender", _("Surrenders")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    trainer_kind = models.CharField(
        _("trainer"), max_length=10, choices=Trainer.choices, default=Trainer.MANAGER
    )
    trainer_name = models.CharField(_("trainer's name"), max_length=50, blank=True)
    manager = models.ForeignKey(
        "accounts.AccountManager",
        on_delete=models.PROTECT,
        related_name="trainings",
        verbose_name=_("account manager"),
    )
    branches = models.ManyToManyField(Branch, related_name="trainings", verbose_name=_("branches"))
    # A list of Topic values: one session usually covers several.
    topics = models.JSONField(_("topics"), default=list, blank=True)
    held_on = models.DateField(_("held on"), default=timezone.localdate)
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"))
    attendees = models.ManyToManyField(
        "staff.BranchStaff", blank=True, related_name="trainings", verbose_name=_("attendees")
    )
    head_count = models.PositiveSmallIntegerField(
        _("head count"), default=0, help_text=_("Everyone present, named or not.")
    )
    feedback = models.TextField(_("feedback"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        ordering = ["-held_on", "-pk"]
        indexes = [
            models.Index(fields=["manager", "-held_on"]),
            models.Index(fields=["kind"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(head_count__gte=0), name="training_head_count_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(duration_minutes__gt=0), name="training_duration_positive"
            ),
        ]

    def __str__(self):
        return f"{self.held_on} {self.get_kind_display()}"

    def get_topics_display(self):
        labels = dict(self.Topic.choices)
        return [labels.get(code, code) for code in self.topics]


class BriefingQuerySet(models.QuerySet):
    def active_on(self, day):
        return self.filter(valid_from__lte=day).filter(
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=day)
        )


class PolicyBriefing(models.Model):
    """政策宣导: a company item every manager passes on to their branches."""

    class Category(models.TextChoices):
        COMPANY_NEWS = "company_news", _("Company news")
        INVESTMENT_RETURN = "investment_return", _("Investment return level")
        SALES_ELSEWHERE = (
            "sales_elsewhere",
            _("Bancassurance sales elsewhere"),
        )
        INCENTIVE = "incentive", _("Incentive scheme")
        SALES_SCRIPT = "sales_script", _("Sales script")
        NEW_PRODUCT = "new_product", _("New product")
        COMPETITION = "competition", _("Competition scheme")

    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    title = models.CharField(_("title"), max_length=150)
    body = models.TextField(_("body"), blank=True)
    valid_from = models.DateField(_("valid from"), default=timezone.localdate)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    attachment = models.FileField(_("attachment"), upload_to="briefings/%Y/", blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = BriefingQuerySet.as_manager()

    class Meta:
        verbose_name = _("policy briefing")
        verbose_name_plural = _("policy briefings")
        ordering = ["-valid_from", "-pk"]
        indexes = [
            models.Index(fields=["valid_from", "valid_to"]),
            models.Index(fields=["category"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="briefing_valid_to_after_from",
            ),
        ]

    def __str__(self):
        return self.title


class BriefingDelivery(models.Model):
    """A briefing passed on at a branch: when, by whom, to which staff."""

    briefing = models.ForeignKey(
        PolicyBriefing,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("briefing"),
    )
    branch = models.ForeignKey(
        Branch,
        on_delete=models.CASCADE,
        related_name="briefing_deliveries",
        verbose_name=_("branch"),
    )
    delivered_at = models.DateTimeField(_("delivered at"), default=timezone.now)
    delivered_by = models.ForeignKey(
        "accounts.AccountManager",
        on_delete=models.PROTECT,
        related_name="briefing_deliveries",
        verbose_name=_("delivered by"),
    )
    staff_briefed = models.ManyToManyField(
        "staff.BranchStaff",
        blank=True,
        related_name="briefings_received",
        verbose_name=_("staff briefed"),
    )
    visit = models.ForeignKey(
        Visit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="briefing_deliveries",
        verbose_name=_("during visit"),
    )
    note = models.TextField(_("note"), blank=True)

    objects = BranchOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("briefing delivery")
        verbose_name_plural = _("briefing deliveries")
        ordering = ["-delivered_at"]
        indexes = [
            models.Index(fields=["briefing", "branch"]),
            models.Index(fields=["branch", "-delivered_at"]),
        ]

    def __str__(self):
        return f"{self.briefing} → {self.branch}"


class Attendance(models.Model):
    """劳动差勤: where a manager was on a day, derived from events (duties.services).

    Nobody types a time: the day's first visit check-in makes it a day in the field, an
    explicit 打卡 with position a day in the office, and anything else (leave, a forgotten
    check-in) is a correction (补卡) the manager's supervisor approves.
    """

    class Status(models.TextChoices):
        OFFICE = "office", _("In the office")
        FIELD = "field", _("In the field")
        LEAVE = "leave", _("On leave")
        TRIP = "trip", _("Business trip")
        ABSENT = "absent", _("Absent")

    class Source(models.TextChoices):
        VISIT = "visit", _("Visit check-in")
        PUNCH = "punch", _("Check-in with position")
        CORRECTION = "correction", _("Approved correction")
        RECORDED = "recorded", _("Recorded before check-ins")

    manager = models.ForeignKey(
        "accounts.AccountManager",
        on_delete=models.CASCADE,
        related_name="attendance",
        verbose_name=_("account manager"),
    )
    date = models.DateField(_("date"), default=timezone.localdate)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    check_in_at = models.TimeField(_("check-in time"), null=True, blank=True)
    source = models.CharField(
        _("source"), max_length=12, choices=Source.choices, default=Source.RECORDED
    )
    # True when a precise position at the branch (or the office 打卡) backs the day, or the
    # supervisor approved it; the monthly summary counts the other working days as unverified.
    verified = models.BooleanField(_("verified"), default=False)
    visit = models.ForeignKey(
        Visit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("first visit"),
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    accuracy_m = models.PositiveIntegerField(_("accuracy (m)"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(fields=["manager", "date"], name="attendance_one_per_day"),
        ]
        indexes = [models.Index(fields=["date", "status"])]

    def __str__(self):
        return f"{self.manager} {self.date} {self.get_status_display()}"

    @property
    def is_working(self):
        return self.status in (self.Status.OFFICE, self.Status.FIELD)


class AttendanceCorrection(models.Model):
    """补卡: a manager's request to correct a day's attendance, decided by their supervisor.

    Requests are never deleted: approved, rejected and pending ones are the day's history.
    ``previous`` keeps what the day said before an approved correction replaced it.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    manager = models.ForeignKey(
        "accounts.AccountManager",
        on_delete=models.CASCADE,
        related_name="attendance_corrections",
        verbose_name=_("account manager"),
    )
    date = models.DateField(_("date"))
    status = models.CharField(_("status"), max_length=10, choices=Attendance.Status.choices)
    check_in_at = models.TimeField(_("check-in time"), null=True, blank=True)
    reason = models.TextField(_("reason"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=200, blank=True)
    previous = models.JSONField(_("before the correction"), default=dict, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("attendance correction")
        verbose_name_plural = _("attendance corrections")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["manager", "date"],
                condition=models.Q(state="pending"),
                name="attendance_correction_one_pending_per_day",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "-requested_at"]),
            models.Index(fields=["manager", "-requested_at"]),
        ]

    def __str__(self):
        return f"{self.manager} {self.date} {self.get_state_display()}"
