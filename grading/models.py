import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from accounts.querysets import ScopedQuerySet

# The metrics a level standard can set a threshold for, in display order. Every threshold is
# an "at least" bar; the keys are also the keys of Assessment.metrics.
METRIC_KEYS = (
    "premium",
    "policies",
    "active_branches",
    "persistency",
    "visits",
    "trainings",
    "cases_on_time",
)
METRIC_LABELS = {
    "premium": _("premium written (yuan)"),
    "policies": _("policies sold"),
    "active_branches": _("active branches"),
    "persistency": _("13-month persistency (%)"),
    "visits": _("visits logged"),
    "trainings": _("trainings given"),
    "cases_on_time": _("service cases resolved on time"),
}


class Level(models.Model):
    """One of the ten rungs of 四等十级, a catalogue row created by a data migration."""

    class Tier(models.TextChoices):
        ASSOCIATE = "associate", _("Customer Associate")
        SUPERVISOR = "supervisor", _("Customer Supervisor")
        MANAGER = "manager", _("Account Manager")
        SENIOR = "senior", _("Senior Account Manager")

    GRADE_LABELS = {
        1: pgettext_lazy("level grade", "grade 1"),
        2: pgettext_lazy("level grade", "grade 2"),
        3: pgettext_lazy("level grade", "grade 3"),
    }
    TIER_NAMES = {
        Tier.ASSOCIATE: _("Customer Associate"),
        Tier.SUPERVISOR: _("Customer Supervisor"),
        Tier.MANAGER: _("Account Manager"),
        Tier.SENIOR: _("Senior Account Manager"),
    }

    # 1 is the lowest level (客户专员), 10 the highest (高级客户经理三级).
    rank = models.PositiveSmallIntegerField(_("rank"), unique=True)
    code = models.SlugField(_("code"), max_length=20, unique=True)
    tier = models.CharField(
        pgettext_lazy("grading ladder", "tier"), max_length=12, choices=Tier.choices
    )
    grade = models.PositiveSmallIntegerField(
        _("grade within tier"), null=True, blank=True, help_text=_("Empty for Customer Associate.")
    )

    class Meta:
        verbose_name = _("level")
        verbose_name_plural = _("levels")
        ordering = ["rank"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rank__gte=1, rank__lte=10), name="level_rank_1_to_10"
            ),
            models.UniqueConstraint(fields=["tier", "grade"], name="level_tier_grade_unique"),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self):
        """The translated name, e.g. 客户主任一级 / Customer Supervisor grade 1."""
        tier = self.TIER_NAMES[self.tier]
        if self.grade is None:
            return str(tier)
        return gettext("%(tier)s %(grade)s") % {
            "tier": tier,
            "grade": self.GRADE_LABELS[self.grade],
        }


def entry_level_id():
    """The level every new hire starts at: the lowest rung (客户专员)."""
    return Level.objects.order_by("rank").values_list("pk", flat=True).first()


class CurrentLevel(models.Model):
    """Where a manager stands on the ladder now (现职级).

    Kept in grading, not on the account manager, so the organisation (accounts) knows nothing
    of the ladder. Written only by grading.services.change_level, which also writes the
    LevelChange history; a new manager starts at the entry level (grading.receivers).
    """

    manager = models.OneToOneField(
        "accounts.AccountManager",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="current_level",
        verbose_name=_("account manager"),
    )
    level = models.ForeignKey(
        Level,
        on_delete=models.PROTECT,
        default=entry_level_id,
        related_name="current_holders",
        verbose_name=_("current level"),
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("current level")
        verbose_name_plural = _("current levels")

    def __str__(self):
        return f"{self.manager}: {self.level}"


class AssessmentPeriod(models.Model):
    """考核期: the stretch of time one round of assessments measures."""

    name = models.CharField(_("name"), max_length=20, unique=True, help_text=_("e.g. 2026Q4"))
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    is_open = models.BooleanField(_("open"), default=True)
    # Decisions wait until the period is over: its figures are not final before.
    closes_on = models.DateField(
        _("decisions open on"),
        null=True,
        blank=True,
        help_text=_(
            "Assessments can be decided from this day on; empty: from the day after the last day."
        ),
    )

    class Meta:
        verbose_name = _("assessment period")
        verbose_name_plural = _("assessment periods")
        ordering = ["-start"]
        indexes = [models.Index(fields=["is_open", "start"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="period_end_after_start"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def decisions_open_on(self):
        """The first day its assessments may be decided: the close date, else the day after
        the last day."""
        return self.closes_on or self.end + datetime.timedelta(days=1)


def _non_negative(prefix):
    return [
        models.CheckConstraint(
            condition=models.Q(**{f"{prefix}_{key}__gte": 0})
            | models.Q(**{f"{prefix}_{key}__isnull": True}),
            name=f"standard_{prefix}_{key}_not_negative",
        )
        for key in METRIC_KEYS
    ]


def _percentage(field, name):
    return models.CheckConstraint(
        condition=models.Q(**{f"{field}__isnull": True})
        | models.Q(**{f"{field}__gte": 0, f"{field}__lte": 100}),
        name=name,
    )


class LevelStandard(models.Model):
    """The bars for one level from a date on: to keep it (保级) and to be promoted into it (晋级).

    Every threshold is "at least"; an empty threshold is not required.
    """

    level = models.ForeignKey(
        Level, on_delete=models.PROTECT, related_name="standards", verbose_name=_("level")
    )
    effective_from = models.DateField(_("effective from"))

    keep_premium = models.DecimalField(
        _("keep: premium (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    keep_policies = models.PositiveIntegerField(_("keep: policies"), null=True, blank=True)
    keep_active_branches = models.PositiveIntegerField(
        _("keep: active branches"), null=True, blank=True
    )
    keep_persistency = models.DecimalField(
        _("keep: 13-month persistency (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    keep_visits = models.PositiveIntegerField(_("keep: visits logged"), null=True, blank=True)
    keep_trainings = models.PositiveIntegerField(_("keep: trainings given"), null=True, blank=True)
    keep_cases_on_time = models.PositiveIntegerField(
        _("keep: service cases resolved on time"), null=True, blank=True
    )

    promote_premium = models.DecimalField(
        _("promotion: premium (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    promote_policies = models.PositiveIntegerField(_("promotion: policies"), null=True, blank=True)
    promote_active_branches = models.PositiveIntegerField(
        _("promotion: active branches"), null=True, blank=True
    )
    promote_persistency = models.DecimalField(
        _("promotion: 13-month persistency (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
    )
    promote_visits = models.PositiveIntegerField(
        _("promotion: visits logged"), null=True, blank=True
    )
    promote_trainings = models.PositiveIntegerField(
        _("promotion: trainings given"), null=True, blank=True
    )
    promote_cases_on_time = models.PositiveIntegerField(
        _("promotion: service cases resolved on time"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("level standard")
        verbose_name_plural = _("level standards")
        ordering = ["level__rank", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["level", "effective_from"], name="standard_unique_per_level_and_date"
            ),
            *_non_negative("keep"),
            *_non_negative("promote"),
            _percentage("keep_persistency", "standard_keep_persistency_percentage"),
            _percentage("promote_persistency", "standard_promote_persistency_percentage"),
        ]
        indexes = [models.Index(fields=["effective_from"])]

    def __str__(self):
        return f"{self.level} · {self.effective_from:%Y-%m-%d}"

    def thresholds(self, kind):
        """{metric: threshold or None} for ``kind`` "keep" or "promote"."""
        return {key: getattr(self, f"{kind}_{key}") for key in METRIC_KEYS}


class SalesFigure(models.Model):
    """A manager's results for a period, as the insurer's core system reports them."""

    manager = models.ForeignKey(
        "accounts.AccountManager",
        on_delete=models.CASCADE,
        related_name="sales_figures",
        verbose_name=_("account manager"),
    )
    period = models.ForeignKey(
        AssessmentPeriod,
        on_delete=models.PROTECT,
        related_name="sales_figures",
        verbose_name=_("period"),
    )
    premium = models.DecimalField(_("premium written (yuan)"), max_digits=14, decimal_places=2)
    policies = models.PositiveIntegerField(_("policies sold"))
    active_branches = models.PositiveIntegerField(
        _("active branches"), help_text=_("Branches with at least one sale in the period.")
    )
    persistency = models.DecimalField(
        _("13-month persistency (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("sales figure")
        verbose_name_plural = _("sales figures")
        ordering = ["-period__start", "manager__employee_number"]
        constraints = [
            models.UniqueConstraint(fields=["manager", "period"], name="sales_unique_per_period"),
            models.CheckConstraint(
                condition=models.Q(premium__gte=0), name="sales_premium_not_negative"
            ),
            _percentage("persistency", "sales_persistency_percentage"),
        ]

    def __str__(self):
        return f"{self.manager} · {self.period}"


class Assessment(models.Model):
    """One manager's grade assessment for one period, frozen when generated."""

    class Outcome(models.TextChoices):
        PROMOTE = "promote", _("Promote one level")
        KEEP = "keep", _("Keep level")
        DEMOTE = "demote", _("Demote one level")
        NONE = "none", _("No recommendation")

    class NoRecommendation(models.TextChoices):
        NOT_ASSESSABLE = (
            "not_assessable",
            _("Not assessable this period (hired or placed after it started)"),
        )
        MISSING_DATA = "missing_data", _("No data for a required metric")

    class Decision(models.TextChoices):
        ACCEPT = "accept", _("Accept the recommendation")
        OVERRIDE = "override", _("Override")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        AWAITING_SECOND = "awaiting_second", _("Awaiting second approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    manager = models.ForeignKey(
        "accounts.AccountManager",
        on_delete=models.CASCADE,
        related_name="assessments",
        verbose_name=_("account manager"),
    )
    period = models.ForeignKey(
        AssessmentPeriod,
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("period"),
    )
    level_at_start = models.ForeignKey(
        Level, on_delete=models.PROTECT, related_name="+", verbose_name=_("level at start")
    )
    first_period = models.BooleanField(_("new hire's first period"), default=False, editable=False)
    # Frozen when generated: later imports or visits do not move a decided recommendation.
    metrics = models.JSONField(_("metrics"), default=dict, editable=False)
    thresholds = models.JSONField(_("thresholds"), default=dict, editable=False)
    recommended_outcome = models.CharField(
        _("recommended outcome"), max_length=10, choices=Outcome.choices
    )
    recommended_level = models.ForeignKey(
        Level, on_delete=models.PROTECT, related_name="+", verbose_name=_("recommended level")
    )
    # Why there is no recommendation (outcome "none"); empty otherwise.
    no_recommendation = models.CharField(
        _("why no recommendation"),
        max_length=20,
        choices=NoRecommendation.choices,
        blank=True,
        editable=False,
    )
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, blank=True)
    decided_level = models.ForeignKey(
        Level,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided level"),
    )
    override_reason = models.TextField(_("reason for the override"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    second_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("second approval by"),
    )
    second_approved_at = models.DateTimeField(_("second approval at"), null=True, blank=True)
    # When it became approved or rejected: the appeal window counts from here.
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["-period__start", "manager__employee_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["manager", "period"], name="assessment_unique_per_period"
            ),
            models.CheckConstraint(
                condition=~models.Q(decision="override") | ~models.Q(override_reason=""),
                name="assessment_override_has_reason",
            ),
            # "No recommendation" always says why, and only then.
            models.CheckConstraint(
                condition=(models.Q(recommended_outcome="none") & ~models.Q(no_recommendation=""))
                | (~models.Q(recommended_outcome="none") & models.Q(no_recommendation="")),
                name="assessment_no_recommendation_says_why",
            ),
        ]
        indexes = [
            models.Index(fields=["period", "status"]),
            models.Index(fields=["status"]),
            models.Index(fields=["recommended_outcome"]),
        ]

    def __str__(self):
        return f"{self.manager} · {self.period}"

    @property
    def is_final(self):
        return self.status in (self.Status.APPROVED, self.Status.REJECTED)

    @property
    def has_recommendation(self):
        return self.recommended_outcome != self.Outcome.NONE


class AssessmentDecisionQuerySet(ScopedQuerySet):
    manager_path = "assessment__manager"


class AssessmentDecision(models.Model):
    """The history of an assessment: every step with who, when and why. Written only by
    grading.services; kept when an appeal reopens the review."""

    class Action(models.TextChoices):
        SUBMIT = "submit", _("Submitted")
        APPROVE = "approve", _("Approved")
        AWAIT_SECOND = "await_second", _("Approved, awaiting second approval")
        SECOND_APPROVE = "second_approve", _("Second approval given")
        REJECT = "reject", _("Rejected")
        APPEAL = "appeal", _("Appealed: review reopened")

    assessment = models.ForeignKey(
        Assessment,
        on_delete=models.CASCADE,
        related_name="history",
        verbose_name=_("assessment"),
    )
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"))
    reason = models.TextField(_("reason"), blank=True)
    level = models.ForeignKey(
        Level,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("level"),
    )

    objects = AssessmentDecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("assessment decision")
        verbose_name_plural = _("assessment decisions")
        ordering = ["assessment", "at", "pk"]
        indexes = [models.Index(fields=["assessment", "at"])]

    def __str__(self):
        return f"{self.assessment} · {self.get_action_display()}"


class LevelChange(models.Model):
    """The history of a manager's level; written only by grading.services.change_level."""

    class Reason(models.TextChoices):
        INITIAL = "initial", _("Initial placement")
        ASSESSMENT = "assessment", _("Assessment")
        AFFILIATION = "affiliation", _("Same-grade affiliation")
        CORRECTION = "correction", _("Correction")

    manager = models.ForeignKey(
        "accounts.AccountManager",
        on_delete=models.CASCADE,
        related_name="level_changes",
        verbose_name=_("account manager"),
    )
    from_level = models.ForeignKey(
        Level,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("from level"),
    )
    to_level = models.ForeignKey(
        Level, on_delete=models.PROTECT, related_name="+", verbose_name=_("to level")
    )
    reason = models.CharField(_("reason"), max_length=12, choices=Reason.choices)
    note = models.TextField(_("note"), blank=True)
    effective_on = models.DateField(_("effective on"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    assessment = models.ForeignKey(
        Assessment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="level_changes",
        verbose_name=_("assessment"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("level change")
        verbose_name_plural = _("level changes")
        ordering = ["-effective_on", "-pk"]
        indexes = [
            models.Index(fields=["manager", "-effective_on"]),
            models.Index(fields=["reason"]),
            models.Index(fields=["effective_on"]),
        ]

    def __str__(self):
        return f"{self.manager}: {self.from_level or '—'} → {self.to_level}"
