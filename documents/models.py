"""Forms and materials at the branches (duty 4): stock, serial-numbered forms, intake, layout.

On-hand figures only change through ``documents.services`` together with their ledger row,
so ``BranchStock.on_hand`` always equals the sum of its ``StockMovement`` quantities
(``manage.py check_stock`` verifies it).
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.querysets import ScopedQuerySet
from branches.models import BranchOwnedQuerySet
from core.loading import QuickLoad

SERIAL_WIDTH = 7  # application-form numbers are printed as seven digits: 0001000


def format_serial(number):
    return f"{number:0{SERIAL_WIDTH}d}"


class StockItem(QuickLoad):
    """A kind of form or material we keep at branches; the catalogue is data, not code."""

    code = models.CharField(_("code"), max_length=30, unique=True)
    # The catalogue is data in both languages: Chinese screens show ``name``/``unit``, English
    # ones ``name_en``/``unit_en`` (falling back to the Chinese where none was entered).
    name = models.CharField(_("name"), max_length=60)
    name_en = models.CharField(_("name in English"), max_length=60, blank=True)
    unit = models.CharField(_("unit"), max_length=10)
    unit_en = models.CharField(_("unit in English"), max_length=10, blank=True)
    default_threshold = models.PositiveIntegerField(
        _("default reorder threshold"),
        help_text=_("At or below this figure the branch's stock counts as low."),
    )
    is_controlled = models.BooleanField(
        _("serial-numbered"),
        default=False,
        help_text=_("Controlled forms carry serial numbers issued in ranges."),
    )
    is_display = models.BooleanField(
        _("display material"),
        default=False,
        help_text=_("Posters, boards and stands are placed in the branch layout."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("stock item")
        verbose_name_plural = _("stock items")
        ordering = ["code"]
        indexes = [models.Index(fields=["is_active"])]

    def __str__(self):
        return self.label

    @property
    def label(self):
        """The item's name in the language of the screen."""
        return (get_language() or "").startswith("en") and self.name_en or self.name

    @property
    def unit_label(self):
        return (get_language() or "").startswith("en") and self.unit_en or self.unit


class BranchStock(QuickLoad):
    """How many of one item a branch holds."""

    branch = models.ForeignKey(
        "branches.Branch",
        on_delete=models.CASCADE,
        related_name="stock",
        verbose_name=_("branch"),
    )
    item = models.ForeignKey(
        StockItem, on_delete=models.PROTECT, related_name="branch_stock", verbose_name=_("item")
    )
    on_hand = models.IntegerField(_("on hand"), default=0, editable=False)
    threshold_override = models.PositiveIntegerField(
        _("reorder threshold"),
        null=True,
        blank=True,
        help_text=_("Empty: use the item's default threshold."),
    )
    last_counted_at = models.DateTimeField(_("last counted"), null=True, blank=True, editable=False)
    # Usage over the 30 local days ending usage_30d_on (documents.selectors.usage_window), kept so
    # the home page and the morning scan need not sum the ledger: set for every item by
    # documents.services.refresh_stock_usage (the morning scan) and kept in step by each usage
    # movement. A row whose usage_30d_on is not today is read live from the ledger instead.
    usage_30d = models.IntegerField(_("use in 30 days"), default=0, editable=False)
    usage_30d_on = models.DateField(_("use counted on"), null=True, blank=True, editable=False)

    objects = BranchOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("branch stock")
        verbose_name_plural = _("branch stock")
        ordering = ["branch", "item__code"]
        constraints = [
            models.UniqueConstraint(fields=["branch", "item"], name="branch_stock_unique_item"),
            models.CheckConstraint(
                condition=models.Q(on_hand__gte=0), name="branch_stock_on_hand_not_negative"
            ),
        ]
        indexes = [
            models.Index(fields=["on_hand"]),
            # A team's items out of stock (the dashboards): a probe per branch of the team
            # into the few rows at zero, not every zero row of the organisation joined to
            # the team's branches (issue 22: 5.0 -> 0.4 ms at scale 5).
            models.Index(
                fields=["branch", "item"],
                condition=models.Q(on_hand__lte=0),
                name="stock_out_by_branch",
            ),
        ]

    def __str__(self):
        return f"{self.branch} · {self.item}"

    @property
    def threshold(self):
        if self.threshold_override is not None:
            return self.threshold_override
        return self.item.default_threshold


class StockMovementQuerySet(ScopedQuerySet):
    manager_path = "branch_stock__branch__manager"


class StockMovement(models.Model):
    """One line of the append-only stock ledger: quantity is signed (+ in, − out)."""

    class Kind(models.TextChoices):
        DELIVERY = "delivery", _("Delivery")
        USAGE = "usage", _("Usage")
        COUNT = "count", _("Count adjustment")
        WITHDRAWAL = "withdrawal", _("Withdrawal / return")
        DAMAGED = "damaged", _("Damaged")

    branch_stock = models.ForeignKey(
        BranchStock,
        on_delete=models.PROTECT,
        related_name="movements",
        verbose_name=_("branch stock"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    quantity = models.IntegerField(_("quantity"))
    occurred_at = models.DateTimeField(_("when"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    visit = models.ForeignKey(
        "branches.Visit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stock_movements",
        verbose_name=_("visit"),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = StockMovementQuerySet.as_manager()

    class Meta:
        verbose_name = _("stock movement")
        verbose_name_plural = _("stock movements")
        ordering = ["-occurred_at", "-pk"]
        indexes = [
            models.Index(fields=["branch_stock", "-occurred_at"]),
            models.Index(fields=["kind", "occurred_at"]),
        ]

    def __str__(self):
        return f"{self.branch_stock} {self.get_kind_display()} {self.quantity:+d}"

    def save(self, *args, **kwargs):
        # The ledger is append-only: a mistake is corrected by a new movement.
        if self.pk is not None and not self._state.adding:
            raise ValueError("Stock movements are append-only.")
        super().save(*args, **kwargs)


class SerialRange(models.Model):
    """A block of numbered application forms issued to a branch, e.g. 0001000–0001099."""

    branch = models.ForeignKey(
        "branches.Branch",
        on_delete=models.PROTECT,
        related_name="serial_ranges",
        verbose_name=_("branch"),
    )
    item = models.ForeignKey(
        StockItem, on_delete=models.PROTECT, related_name="serial_ranges", verbose_name=_("item")
    )
    first_number = models.PositiveIntegerField(_("first number"))
    last_number = models.PositiveIntegerField(_("last number"))
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("issued by"),
    )

    objects = BranchOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("serial range")
        verbose_name_plural = _("serial ranges")
        ordering = ["first_number"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last_number__gte=models.F("first_number")),
                name="serial_range_last_after_first",
            ),
        ]
        indexes = [
            models.Index(fields=["first_number", "last_number"]),
            models.Index(fields=["branch", "-issued_at"]),
        ]

    def __str__(self):
        return f"{format_serial(self.first_number)}–{format_serial(self.last_number)}"

    @property
    def size(self):
        return self.last_number - self.first_number + 1


class SerialFormQuerySet(ScopedQuerySet):
    manager_path = "serial_range__branch__manager"


class SerialForm(QuickLoad):
    """One numbered application form; its number exists once in the whole company."""

    class Status(models.TextChoices):
        ISSUED = "issued", _("Issued")
        USED = "used", _("Used")
        VOIDED = "voided", _("Voided")
        LOST = "lost", _("Lost")

    serial_range = models.ForeignKey(
        SerialRange, on_delete=models.CASCADE, related_name="forms", verbose_name=_("range")
    )
    number = models.PositiveIntegerField(_("serial number"), unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ISSUED
    )
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True)

    objects = SerialFormQuerySet.as_manager()

    class Meta:
        verbose_name = _("numbered form")
        verbose_name_plural = _("numbered forms")
        ordering = ["number"]
        indexes = [models.Index(fields=["serial_range", "status"])]

    def __str__(self):
        return format_serial(self.number)

    @property
    def serial(self):
        return format_serial(self.number)


class ReviewCheck(models.Model):
    """One preliminary-review (初审) check; which checks run and their limits are data."""

    class Rule(models.TextChoices):
        SIGNATURES = "signatures", _("Signatures present")
        ID_COPY = "id_copy", _("ID copy attached")
        BANK_ACCOUNT = "bank_account", _("Bank account filled")
        AGE_LIMIT = "age_limit", _("Applicant age over the limit")
        PREMIUM_INCOME = "premium_income", _("Premium far above stated income")

    rule = models.CharField(_("rule"), max_length=20, choices=Rule.choices, unique=True)
    limit = models.DecimalField(
        _("limit"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_(
            "Age in years for the age check; the largest share of annual income the "
            "premium may be (0.5 = half) for the premium check."
        ),
    )
    blocking = models.BooleanField(
        _("returns the form"),
        default=True,
        help_text=_("Failing a blocking check sends the form back; others only warn."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("review check")
        verbose_name_plural = _("review checks")
        ordering = ["rule"]
        indexes = [models.Index(fields=["is_active"])]

    def __str__(self):
        return self.get_rule_display()


# What a failed check means, shown in the reader's language (rows store only the rule code).
CHECK_FAILURES = {
    ReviewCheck.Rule.SIGNATURES: _("Signatures missing"),
    ReviewCheck.Rule.ID_COPY: _("No ID copy attached"),
    ReviewCheck.Rule.BANK_ACCOUNT: _("Bank account not filled"),
    ReviewCheck.Rule.AGE_LIMIT: _("Applicant older than the limit"),
    ReviewCheck.Rule.PREMIUM_INCOME: _("Premium far above stated income"),
}


class IntakeBatch(QuickLoad):
    """Signed application forms collected from a branch in one go (投保单收取)."""

    branch = models.ForeignKey(
        "branches.Branch",
        on_delete=models.PROTECT,
        related_name="intake_batches",
        verbose_name=_("branch"),
    )
    collected_at = models.DateTimeField(_("collected at"), default=timezone.now)
    collected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("collected by"),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = BranchOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("intake batch")
        verbose_name_plural = _("intake batches")
        ordering = ["-collected_at"]
        indexes = [models.Index(fields=["branch", "-collected_at"])]

    def __str__(self):
        return f"{self.branch} {timezone.localtime(self.collected_at):%Y-%m-%d}"


class Handover(models.Model):
    """Forms handed to the archive/scanning department (归档扫描), with a slip."""

    manager = models.ForeignKey(
        "accounts.AccountManager",
        on_delete=models.PROTECT,
        related_name="handovers",
        verbose_name=_("account manager"),
    )
    handed_over_at = models.DateTimeField(_("handed over at"), default=timezone.now)
    received_by = models.CharField(_("received by"), max_length=60)
    slip_number = models.CharField(_("handover slip number"), max_length=30, unique=True)
    handed_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("handed over by"),
    )
    # The archive's confirmation of receipt (documents.services.confirm_handover): who and
    # when, or the number of the scanned slip the archive sends back.
    confirmed_at = models.DateTimeField(_("receipt confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("receipt confirmed by"),
    )
    scanned_slip_number = models.CharField(_("scanned slip number"), max_length=40, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")
        ordering = ["-handed_over_at"]
        indexes = [
            models.Index(fields=["manager", "-handed_over_at"]),
            # Handovers still waiting for the archive's confirmation, oldest first.
            models.Index(fields=["confirmed_at", "handed_over_at"], name="handover_unconfirmed"),
        ]

    def __str__(self):
        return self.slip_number

    @property
    def is_confirmed(self):
        return self.confirmed_at is not None

    def is_flagged(self, now=None):
        """Not confirmed by the archive within HANDOVER_CONFIRM_DAYS days."""
        if self.confirmed_at is not None:
            return False
        days = datetime.timedelta(days=settings.HANDOVER_CONFIRM_DAYS)
        return self.handed_over_at < (now or timezone.now()) - days


class IntakeFormQuerySet(ScopedQuerySet):
    manager_path = "batch__branch__manager"


class IntakeForm(QuickLoad):
    """One collected application form on its way to the archive."""

    class Status(models.TextChoices):
        COLLECTED = "collected", _("Collected")
        PASSED = "passed", _("Review passed")
        RETURNED = "returned", _("Returned to branch")
        REGISTERED = "registered", _("Registered")
        HANDED_OVER = "handed_over", _("Handed over")

    batch = models.ForeignKey(
        IntakeBatch, on_delete=models.CASCADE, related_name="forms", verbose_name=_("batch")
    )
    serial_form = models.OneToOneField(
        SerialForm,
        on_delete=models.PROTECT,
        related_name="intake",
        verbose_name=_("serial number"),
    )
    applicant_name = models.CharField(_("applicant"), max_length=60, blank=True)
    applicant_age = models.PositiveSmallIntegerField(_("applicant age"), null=True, blank=True)
    annual_premium = models.DecimalField(
        _("annual premium (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    stated_income = models.DecimalField(
        _("stated annual income (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    signatures_present = models.BooleanField(_("signatures present"), default=False)
    id_copy_attached = models.BooleanField(_("ID copy attached"), default=False)
    bank_account_filled = models.BooleanField(_("bank account filled"), default=False)

    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.COLLECTED
    )
    # Rule codes of the checks the form failed at review: blocking ones returned it.
    failed_checks = models.JSONField(_("failed checks"), default=list, blank=True)
    review_warnings = models.JSONField(_("review warnings"), default=list, blank=True)
    return_reason = models.TextField(_("reason returned"), blank=True)
    # When the latest review sent it back; cleared when the branch's corrected form is
    # collected again (the round itself stays in IntakeReview).
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    registered_at = models.DateTimeField(_("registered at"), null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
    )
    handover = models.ForeignKey(
        Handover,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="forms",
        verbose_name=_("handover"),
    )

    objects = IntakeFormQuerySet.as_manager()

    class Meta:
        verbose_name = _("collected form")
        verbose_name_plural = _("collected forms")
        ordering = ["serial_form__number"]
        indexes = [models.Index(fields=["batch", "status"]), models.Index(fields=["status"])]

    def __str__(self):
        return str(self.serial_form)

    @property
    def failed_check_labels(self):
        return [CHECK_FAILURES.get(code, code) for code in self.failed_checks]

    @property
    def warning_labels(self):
        return [CHECK_FAILURES.get(code, code) for code in self.review_warnings]


class IntakeReviewQuerySet(ScopedQuerySet):
    manager_path = "intake_form__batch__branch__manager"


class IntakeReview(models.Model):
    """One review round (初审) of a collected form. A form returned to the branch and collected
    again after correction is reviewed in a new round; earlier rounds are kept as they were."""

    class Outcome(models.TextChoices):
        PASSED = "passed", _("Review passed")
        RETURNED = "returned", _("Returned to branch")

    intake_form = models.ForeignKey(
        IntakeForm, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("form")
    )
    round = models.PositiveSmallIntegerField(_("round"))
    # The collection the round reviewed: a re-collected form sits in a later batch.
    batch = models.ForeignKey(
        IntakeBatch, on_delete=models.PROTECT, related_name="+", verbose_name=_("batch")
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    failed_checks = models.JSONField(_("failed checks"), default=list, blank=True)
    review_warnings = models.JSONField(_("review warnings"), default=list, blank=True)
    return_reason = models.TextField(_("reason returned"), blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )

    objects = IntakeReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("review round")
        verbose_name_plural = _("review rounds")
        ordering = ["intake_form", "round"]
        constraints = [
            models.UniqueConstraint(fields=["intake_form", "round"], name="review_round_unique"),
            models.CheckConstraint(condition=models.Q(round__gte=1), name="review_round_positive"),
        ]

    def __str__(self):
        return f"{self.intake_form} #{self.round}"

    @property
    def failed_check_labels(self):
        return [CHECK_FAILURES.get(code, code) for code in self.failed_checks]


class LayoutPlacement(models.Model):
    """A poster, brochure, board or stand placed at a branch (网点布置)."""

    branch = models.ForeignKey(
        "branches.Branch",
        on_delete=models.CASCADE,
        related_name="placements",
        verbose_name=_("branch"),
    )
    item = models.ForeignKey(
        StockItem, on_delete=models.PROTECT, related_name="placements", verbose_name=_("item")
    )
    location = models.CharField(_("where"), max_length=100)
    since = models.DateField(_("since"), default=timezone.localdate)
    removed_on = models.DateField(_("removed on"), null=True, blank=True)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("placed by"),
    )

    objects = BranchOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("layout placement")
        verbose_name_plural = _("layout placements")
        ordering = ["branch", "-since"]
        indexes = [models.Index(fields=["branch", "removed_on"])]

    def __str__(self):
        return f"{self.branch} · {self.item} · {self.location}"
