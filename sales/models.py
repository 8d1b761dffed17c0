"""Results against plan: products (险种), policies sold through branches (保单), customers.

Policies arrive from the insurer's core system in a daily feed (``sales.services.import_policies``);
nothing here is typed in by hand except the product catalogue.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.querysets import ScopedQuerySet
from branches.models import BranchOwnedQuerySet
from core.loading import QuickLoad
from core.validators import mask_phone
from sales.validators import mask_id_number


class Product(models.Model):
    """险种: one product we sell through the banks."""

    class Kind(models.TextChoices):
        REGULAR = "regular", _("Regular premium")
        SINGLE = "single", _("Single premium")

    code = models.CharField(_("product code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    payment_years = models.PositiveSmallIntegerField(
        _("payment years"), default=1, help_text=_("1 for a single premium.")
    )
    standard_factor = models.DecimalField(
        _("standard-premium factor"),
        max_digits=6,
        decimal_places=4,
        default=Decimal("1"),
        help_text=_("Premium × factor = standard premium."),
    )
    on_sale_from = models.DateField(_("on sale from"))
    on_sale_to = models.DateField(_("on sale until"), null=True, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("insurance product", "product")
        verbose_name_plural = pgettext_lazy("insurance product", "products")
        ordering = ["code"]
        indexes = [models.Index(fields=["kind"]), models.Index(fields=["on_sale_from"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(standard_factor__gte=0), name="product_factor_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(payment_years__gte=1), name="product_payment_years_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(on_sale_to__isnull=True)
                | models.Q(on_sale_to__gte=models.F("on_sale_from")),
                name="product_sale_end_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"


class Customer(QuickLoad):
    """One person who holds policies, built from the feed (never typed in).

    ``identity`` is the ID number when the feed gives one, else name and phone: the same person
    in two rows of the feed is one customer. The branch is where they first bought, and decides
    who may see them (that branch's manager, their supervisor).
    """

    identity = models.CharField(_("customer key"), max_length=80, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=60)
    id_number = models.CharField(
        _("ID number"),
        max_length=18,
        blank=True,
        help_text=_("As the feed gives it; shown masked everywhere but the detail page."),
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    # Indexed by (branch, name) below: no separate index to keep up on every import.
    branch = models.ForeignKey(
        "branches.Branch",
        on_delete=models.PROTECT,
        related_name="customers",
        verbose_name=_("branch"),
        db_index=False,
    )
    # Premium of the customer's policies in force, kept in step by the import.
    premium_in_force = models.DecimalField(
        _("premium in force (yuan)"), max_digits=14, decimal_places=2, default=0, editable=False
    )
    next_contact_due = models.DateField(_("next contact due"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = BranchOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["name", "pk"]
        indexes = [
            models.Index(fields=["branch", "name"]),
            models.Index(fields=["name"]),
            models.Index(fields=["phone"]),
            models.Index(fields=["premium_in_force"]),
            models.Index(fields=["next_contact_due"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(premium_in_force__gte=0),
                name="customer_premium_in_force_not_negative",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def masked_id_number(self):
        return mask_id_number(self.id_number)

    @property
    def masked_phone(self):
        return mask_phone(self.phone)

    @property
    def is_large(self):
        return self.premium_in_force >= settings.SALES_LARGE_CUSTOMER_PREMIUM


class Policy(QuickLoad):
    """保单: one policy sold through a branch, as the core system reports it."""

    class Status(models.TextChoices):
        IN_FORCE = "in_force", _("In force")
        CANCELLED = "cancelled", _("Cancelled in cooling-off")
        SURRENDERED = "surrendered", pgettext_lazy("policy status", "Surrendered")
        LAPSED = "lapsed", _("Lapsed")

    number = models.CharField(_("policy number"), max_length=30, unique=True)
    product = models.ForeignKey(
        Product,
        on_delete=models.PROTECT,
        related_name="policies",
        verbose_name=pgettext_lazy("insurance product", "product"),
    )
    # The foreign keys below lead a composite index each (Meta.indexes), so they get no index
    # of their own: four fewer indexes to maintain on a 100,000-row import.
    branch = models.ForeignKey(
        "branches.Branch",
        on_delete=models.PROTECT,
        related_name="policies",
        verbose_name=_("branch"),
        db_index=False,
    )
    manager = models.ForeignKey(
        "accounts.AccountManager",
        on_delete=models.PROTECT,
        related_name="policies",
        verbose_name=_("account manager"),
        db_index=False,
    )
    credited_staff = models.ForeignKey(
        "staff.BranchStaff",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="policies",
        verbose_name=_("bank staff credited"),
        db_index=False,
    )
    customer = models.ForeignKey(
        Customer,
        on_delete=models.PROTECT,
        related_name="policies",
        verbose_name=_("applicant"),
        db_index=False,
    )
    premium = models.DecimalField(_("premium (yuan)"), max_digits=14, decimal_places=2)
    standard_premium = models.DecimalField(
        _("standard premium (yuan)"), max_digits=14, decimal_places=2, editable=False
    )
    payment_years = models.PositiveSmallIntegerField(_("payment years"))
    signed_on = models.DateField(_("signed on"))
    effective_on = models.DateField(_("effective on"), null=True, blank=True)
    cooling_off_ends_on = models.DateField(_("cooling-off ends on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.IN_FORCE
    )
    status_changed_on = models.DateField(_("status changed on"), null=True, blank=True)
    application_serial = models.CharField(_("application form number"), max_length=20, blank=True)
    intake_form = models.OneToOneField(
        "documents.IntakeForm",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="policy",
        verbose_name=_("application form"),
    )
    imported_at = models.DateTimeField(_("last imported"), default=timezone.now, editable=False)

    objects = BranchOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("policy")
        verbose_name_plural = _("policies")
        ordering = ["-signed_on", "number"]
        indexes = [
            models.Index(fields=["branch", "signed_on"]),
            models.Index(fields=["manager", "signed_on"]),
            models.Index(fields=["credited_staff", "signed_on"]),
            models.Index(fields=["status", "status_changed_on"]),
            # The branch page's cancellations and policy-change entries (one branch's
            # cancelled or surrendered policies by day): 1.7 ms -> 0.25 ms at scale 1.
            models.Index(fields=["branch", "status", "status_changed_on"]),
            models.Index(fields=["branch", "cooling_off_ends_on"]),
            models.Index(fields=["signed_on"]),
            models.Index(fields=["customer", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(premium__gte=0), name="policy_premium_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(standard_premium__gte=0),
                name="policy_standard_premium_not_negative",
            ),
        ]

    def __str__(self):
        return self.number

    @property
    def in_cooling_off(self):
        return (
            self.status == self.Status.IN_FORCE
            and self.cooling_off_ends_on is not None
            and self.cooling_off_ends_on >= timezone.localdate()
        )


class MonthlySales(models.Model):
    """A branch's sales (its policies of every status but 撤单) signed in one calendar month.

    A summary kept in step with the policies, in the same transaction, by every write of
    ``sales.services`` (the import, 撤单, deleting policies; ``rebuild_monthly_sales`` recounts
    all): the supervisor's dashboard sums a team's twelve months from these ~3,000 rows
    instead of ~9,000 policies. A month without a counted policy has no row.
    """

    branch = models.ForeignKey(
        "branches.Branch",
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        verbose_name=_("branch"),
    )
    month = models.DateField(_("month"))  # its first day
    premium = models.DecimalField(_("premium (yuan)"), max_digits=16, decimal_places=2)
    policies = models.PositiveIntegerField(_("policies sold"))
    standard_premium = models.DecimalField(
        _("standard premium (yuan)"), max_digits=16, decimal_places=2
    )

    class Meta:
        verbose_name = _("monthly sales")
        verbose_name_plural = _("monthly sales")
        constraints = [
            # Also the index of every read: a branch's months.
            models.UniqueConstraint(fields=["branch", "month"], name="monthly_sales_branch_month"),
            models.CheckConstraint(
                condition=models.Q(premium__gte=0), name="monthly_sales_premium_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(standard_premium__gte=0),
                name="monthly_sales_standard_premium_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.branch_id} {self.month:%Y-%m}"


class FeedFile(models.Model):
    """One feed file seen by the import: its content hash makes a dropped file import once."""

    class Outcome(models.TextChoices):
        IMPORTED = "imported", _("Imported")
        FAILED = "failed", _("Import failed")

    content_hash = models.CharField(_("SHA-256"), max_length=64, unique=True)
    file_name = models.CharField(_("file name"), max_length=255)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    created = models.PositiveIntegerField(_("policies created"), default=0)
    updated = models.PositiveIntegerField(_("policies updated"), default=0)
    report = models.TextField(_("error report"), blank=True)
    processed_at = models.DateTimeField(_("processed at"), default=timezone.now)

    class Meta:
        verbose_name = _("feed file")
        verbose_name_plural = _("feed files")
        ordering = ["-processed_at"]
        indexes = [models.Index(fields=["-processed_at"])]

    def __str__(self):
        return self.file_name


class IdNumberViewQuerySet(ScopedQuerySet):
    manager_path = "customer__branch__manager"


class IdNumberView(models.Model):
    """Who saw a customer's full ID number, and when (one row per view of the detail page)."""

    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="id_views", verbose_name=_("customer")
    )
    viewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("viewed by"),
    )
    viewed_at = models.DateTimeField(_("viewed at"), default=timezone.now)

    objects = IdNumberViewQuerySet.as_manager()

    class Meta:
        verbose_name = _("ID number view")
        verbose_name_plural = _("ID number views")
        ordering = ["-viewed_at"]
        indexes = [
            models.Index(fields=["customer", "-viewed_at"]),
            models.Index(fields=["viewed_by", "-viewed_at"]),
        ]

    def __str__(self):
        return f"{self.customer} · {self.viewed_at:%Y-%m-%d %H:%M}"


class CustomerContactQuerySet(ScopedQuerySet):
    manager_path = "customer__branch__manager"


class CustomerContact(models.Model):
    """A follow-up with a (large) customer, recorded like a visit; it sets the next one due."""

    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("customer")
    )
    manager = models.ForeignKey(
        "accounts.AccountManager",
        on_delete=models.PROTECT,
        related_name="customer_contacts",
        verbose_name=_("account manager"),
    )
    contacted_at = models.DateTimeField(_("contacted at"), default=timezone.now)
    summary = models.TextField(_("summary"))
    next_contact_due = models.DateField(_("next contact due"), null=True, blank=True)

    objects = CustomerContactQuerySet.as_manager()

    class Meta:
        verbose_name = _("customer follow-up")
        verbose_name_plural = _("customer follow-ups")
        ordering = ["-contacted_at"]
        indexes = [
            models.Index(fields=["customer", "-contacted_at"]),
            models.Index(fields=["manager", "-contacted_at"]),
        ]

    def __str__(self):
        return f"{self.customer} {timezone.localtime(self.contacted_at):%Y-%m-%d}"
