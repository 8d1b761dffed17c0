from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.querysets import ScopedQuerySet
from core.validators import validate_phone


class BranchOwnedQuerySet(ScopedQuerySet):
    manager_path = "branch__manager"


class Bank(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    short_name = models.CharField(_("short name"), max_length=20, blank=True)
    allows_posters = models.BooleanField(
        _("allows posters"),
        default=True,
        help_text=_("Whether this bank lets us put posters up in its branches."),
    )

    class Meta:
        verbose_name = _("bank")
        verbose_name_plural = _("banks")
        ordering = ["name"]

    def __str__(self):
        return self.short_name or self.name


class Branch(models.Model):
    class Tier(models.TextChoices):
        A = "A", _("Tier A")
        B = "B", _("Tier B")
        C = "C", _("Tier C")

    bank = models.ForeignKey(
        Bank, on_delete=models.PROTECT, related_name="branches", verbose_name=_("bank")
    )
    name = models.CharField(_("name"), max_length=120)
    code = models.CharField(_("branch code"), max_length=30)
    address = models.CharField(_("address"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=50, blank=True)
    district = models.CharField(_("district"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[validate_phone])
    tier = models.CharField(_("tier"), max_length=1, choices=Tier.choices, default=Tier.B)
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Untick when the branch closes.")
    )
    manager = models.ForeignKey(
        "accounts.AccountManager",
        on_delete=models.PROTECT,
        related_name="branches",
        verbose_name=_("account manager"),
    )
    # Poster policy: a branch may be stricter than its bank; null follows the bank.
    allows_posters = models.BooleanField(
        _("allows posters"), null=True, blank=True, help_text=_("Empty: follow the bank's policy.")
    )
    layout_notes = models.TextField(
        _("layout notes"),
        blank=True,
        help_text=_("Display boards, acrylic stands, where the rack is."),
    )
    # Kept in step by branches.services.log_visit so lists can sort and filter without
    # aggregating the whole visit table.
    last_visit_at = models.DateTimeField(_("last visit"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("branch")
        verbose_name_plural = _("branches")
        ordering = ["bank__name", "code"]
        constraints = [
            models.UniqueConstraint(fields=["bank", "code"], name="branch_code_unique_per_bank"),
        ]
        indexes = [
            models.Index(fields=["manager", "is_active"]),
            models.Index(fields=["tier"]),
            models.Index(fields=["district"]),
            models.Index(fields=["last_visit_at"]),
            models.Index(fields=["name"]),
        ]

    def __str__(self):
        return f"{self.bank} {self.name}"

    @property
    def posters_allowed(self):
        if self.allows_posters is not None:
            return self.allows_posters
        return self.bank.allows_posters

    @property
    def days_since_visit(self):
        if self.last_visit_at is None:
            return None
        return (timezone.localdate() - timezone.localtime(self.last_visit_at).date()).days


class Visit(models.Model):
    class Purpose(models.TextChoices):
        PLAN = "plan", _("Plan and competition scheme")
        RELATIONSHIP = "relationship", _("Relationship upkeep")
        TRAINING = "training", _("Training")
        DELIVERY = "delivery", _("Material delivery")
        COLLECTION = "collection", _("Form collection")
        SERVICE = "service", _("Customer service")
        CONSULTATION = "consultation", _("Consultation day")
        OTHER = "other", _("Other")

    branch = models.ForeignKey(
        Branch, on_delete=models.CASCADE, related_name="visits", verbose_name=_("branch")
    )
    manager = models.ForeignKey(
        "accounts.AccountManager",
        on_delete=models.PROTECT,
        related_name="visits",
        verbose_name=_("account manager"),
    )
    visited_at = models.DateTimeField(_("visited at"), default=timezone.now)
    # A list of Purpose values: a visit usually serves several purposes at once.
    purposes = models.JSONField(_("purposes"), default=list, blank=True)
    staff_met = models.ManyToManyField(
        "staff.BranchStaff", blank=True, related_name="visits", verbose_name=_("bank staff met")
    )
    summary = models.TextField(_("summary"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    next_visit_on = models.DateField(_("next visit"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = BranchOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-visited_at"]
        indexes = [
            models.Index(fields=["branch", "-visited_at"]),
            models.Index(fields=["manager", "-visited_at"]),
            models.Index(fields=["next_visit_on"]),
        ]

    def __str__(self):
        return f"{self.branch} {timezone.localtime(self.visited_at):%Y-%m-%d %H:%M}"

    def get_purposes_display(self):
        labels = dict(self.Purpose.choices)
        return [labels.get(code, code) for code in self.purposes]


class AbnormalEvent(models.Model):
    """异常情况: something at a branch the company must hear about."""

    class Category(models.TextChoices):
        BANK_POLICY = "bank_policy", _("Bank policy change")
        COMPETITOR_PRODUCT = "competitor_product", _("Competitor product on the counter")
        STAFF_CHANGE = "staff_change", _("Bank staff change")
        COMMUNICATION = "communication", _("Communication trouble")
        GOVERNMENT_BONDS = "government_bonds", _("Government bonds on sale")
        SECURITIES_PROMOTION = "securities_promotion", _("Securities firm promotion")
        BANK_SURRENDER = "bank_surrender", _("Surrender caused by the bank")
        COMPETITOR_CAMPAIGN = "competitor_campaign", _("Competitor campaign")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        FOLLOWING_UP = "following_up", _("Following up")
        RESOLVED = "resolved", _("Resolved")

    branch = models.ForeignKey(
        Branch, on_delete=models.CASCADE, related_name="events", verbose_name=_("branch")
    )
    category = models.CharField(_("category"), max_length=30, choices=Category.choices)
    occurred_on = models.DateField(_("occurred on"), default=timezone.localdate)
    description = models.TextField(_("what happened"))
    # For a competitor campaign: its dates, content and effect.
    campaign_start = models.DateField(_("campaign start"), null=True, blank=True)
    campaign_end = models.DateField(_("campaign end"), null=True, blank=True)
    campaign_effect = models.TextField(_("campaign effect"), blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reported by"),
    )
    status = models.CharField(
        _("follow-up status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    company_response = models.TextField(_("company response"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = BranchOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("abnormal event")
        verbose_name_plural = _("abnormal events")
        ordering = ["-occurred_on", "-pk"]
        indexes = [
            models.Index(fields=["branch", "-occurred_on"]),
            models.Index(fields=["status"]),
            models.Index(fields=["category"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(campaign_end__isnull=True)
                | models.Q(campaign_start__isnull=True)
                | models.Q(campaign_end__gte=models.F("campaign_start")),
                name="event_campaign_end_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.branch}: {self.get_category_display()}"


class DepositSnapshot(models.Model):
    """存款规模: a branch's deposits on one day. Snapshots, never edits, so the trend shows."""

    branch = models.ForeignKey(
        Branch, on_delete=models.CASCADE, related_name="deposits", verbose_name=_("branch")
    )
    as_of = models.DateField(_("as of"), default=timezone.localdate)
    personal = models.DecimalField(_("personal deposits (yuan)"), max_digits=16, decimal_places=2)
    corporate = models.DecimalField(_("corporate deposits (yuan)"), max_digits=16, decimal_places=2)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = BranchOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("deposit snapshot")
        verbose_name_plural = _("deposit snapshots")
        ordering = ["-as_of"]
        constraints = [
            models.UniqueConstraint(fields=["branch", "as_of"], name="deposit_one_per_branch_day"),
            models.CheckConstraint(
                condition=models.Q(personal__gte=0), name="deposit_personal_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(corporate__gte=0), name="deposit_corporate_not_negative"
            ),
        ]
        indexes = [models.Index(fields=["as_of"])]

    def __str__(self):
        return f"{self.branch} {self.as_of}"

    @property
    def total(self):
        return self.personal + self.corporate


class PlanTarget(models.Model):
    """计划任务: what the branch agreed to sell in one work period, under a competition scheme."""

    branch = models.ForeignKey(
        Branch, on_delete=models.CASCADE, related_name="targets", verbose_name=_("branch")
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    premium_target = models.DecimalField(
        _("premium target (yuan)"), max_digits=14, decimal_places=2
    )
    policy_count_target = models.PositiveIntegerField(_("policy count target"), default=0)
    competition_scheme = models.CharField(_("competition scheme"), max_length=120, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = BranchOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan target")
        verbose_name_plural = _("plan targets")
        ordering = ["-period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["branch", "period_start"], name="target_one_per_branch_period"
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="target_period_end_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(premium_target__gte=0), name="target_premium_not_negative"
            ),
        ]
        indexes = [models.Index(fields=["period_start", "period_end"])]

    def __str__(self):
        return f"{self.branch} {self.period_start}–{self.period_end}"


class CompetitorPresence(models.Model):
    """代理同业产品简况: one observation of another insurer at a branch.

    Observations are added, never overwritten, so comparing the latest two shows who gains.
    """

    branch = models.ForeignKey(
        Branch, on_delete=models.CASCADE, related_name="competitors", verbose_name=_("branch")
    )
    insurer = models.CharField(_("insurer"), max_length=100)
    annual_premium = models.DecimalField(
        _("annual premium (yuan)"), max_digits=14, decimal_places=2, default=0
    )
    recent_premium = models.DecimalField(
        _("premium of the last three months (yuan)"), max_digits=14, decimal_places=2, default=0
    )
    sales_model = models.CharField(_("model used"), max_length=200, blank=True)
    relationships = models.TextField(_("relationships at the branch"), blank=True)
    advantages = models.TextField(_("advantages"), blank=True)
    observed_on = models.DateField(_("observed on"), default=timezone.localdate)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = BranchOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("competitor presence")
        verbose_name_plural = _("competitor presence")
        ordering = ["insurer", "-observed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(annual_premium__gte=0), name="competitor_annual_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(recent_premium__gte=0), name="competitor_recent_not_negative"
            ),
        ]
        indexes = [
            models.Index(fields=["branch", "insurer", "-observed_on"]),
            models.Index(fields=["insurer"]),
        ]

    def __str__(self):
        return f"{self.branch}: {self.insurer} {self.observed_on}"


class ImportJob(models.Model):
    """One spreadsheet imported in the background (Celery; in-process without a broker).

    The upload request only stores the file here and queues the job; the job imports all or
    nothing and keeps the report of bad rows. The file's bytes are dropped once it has run.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Import failed")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="import_jobs",
        verbose_name=_("imported by"),
    )
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # "app_label.model_name" of the imported model, and the dotted path of the resource.
    model_label = models.CharField(_("imported model"), max_length=100)
    resource = models.CharField(max_length=200)
    file_name = models.CharField(_("file"), max_length=255)
    file_format = models.CharField(_("format"), max_length=10)
    data = models.BinaryField(editable=False, default=b"")
    language = models.CharField(max_length=10, default="zh-hans")
    dry_run = models.BooleanField(_("check only"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveIntegerField(_("rows done"), default=0)
    total = models.PositiveIntegerField(_("rows"), default=0)
    # {"created", "updated", "unchanged", "rejected", "saved"} once done.
    summary = models.JSONField(default=dict, blank=True)
    # [{"row": 3, "messages": ["..."]}, ...]: the bad rows, in the user's language.
    errors = models.JSONField(default=list, blank=True)
    # Why the whole file failed (unreadable, too large...), in the user's language.
    message = models.TextField(blank=True)

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["created_by", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=models.F("total")) | models.Q(total=0),
                name="import_job_progress_within_total",
            ),
        ]

    def __str__(self):
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def is_finished(self):
        return self.status in {self.Status.DONE, self.Status.FAILED}

    @property
    def percent(self):
        return round(100 * self.progress / self.total) if self.total else 0
