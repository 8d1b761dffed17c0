"""Customer-service cases (客户服务): complaints, hard questions, surrenders, cancellations,
policy servicing on the customer's behalf and the other services of duties 5–7.

Writes go through service.services (the status machine lives there); these are the rows.
"""

import datetime

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.querysets import ScopedQuerySet
from branches.models import BranchOwnedQuerySet
from core.loading import QuickLoad
from core.validators import mask_phone, mobile_validator

policy_number_validator = RegexValidator(
    r"^[A-Za-z0-9]{8,30}$",
    _("A policy number is 8 to 30 letters or digits, without spaces or dashes."),
    code="invalid_policy_number",
)

id_last_four_validator = RegexValidator(
    r"^\d{3}[\dX]$",
    _("Enter the last four characters of the ID number: four digits, the last may be X."),
    code="invalid_id_last_four",
)


class Kind(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint")
    HARD_QUESTION = "hard_question", _("Hard question")
    SURRENDER = "surrender", _("Surrender")
    CANCELLATION = "cancellation", _("Cancellation in cooling-off")
    SERVICING = "servicing", _("Policy servicing")
    CONSULTATION_PHONE = "consultation_phone", _("Product consultation by phone")
    CONSULTATION_ON_SITE = "consultation_on_site", _("Product consultation on site")
    LARGE_CUSTOMER = "large_customer", _("Large-customer follow-up")
    BANK_STAFF = "bank_staff", _("Service to bank staff")
    OTHER = "other", _("Other")


class Priority(models.TextChoices):
    URGENT = "urgent", _("Urgent")
    NORMAL = "normal", _("Normal")
    LOW = "low", pgettext_lazy("priority", "Low")


class SlaRule(models.Model):
    """How long a case of one kind and priority may stay open (editable in the admin)."""

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices)
    hours = models.PositiveIntegerField(
        _("hours to resolve"), validators=[MinValueValidator(1)], help_text=_("Calendar hours.")
    )

    class Meta:
        verbose_name = _("service time limit")
        verbose_name_plural = _("service time limits")
        ordering = ["kind", "priority"]
        # kind is the leading column of the unique constraint's index; priority needs its own.
        indexes = [models.Index(fields=["priority"])]
        constraints = [
            models.UniqueConstraint(fields=["kind", "priority"], name="sla_rule_unique"),
            models.CheckConstraint(condition=Q(hours__gte=1), name="sla_rule_hours_positive"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.get_priority_display()}: {self.hours}h"


class ServiceSettings(models.Model):
    """One row of settings for the service desk (kept as data so the admin can change it)."""

    cooling_off_days = models.PositiveSmallIntegerField(
        _("cooling-off days"),
        default=15,
        validators=[MinValueValidator(1)],
        help_text=_(
            "Days after the customer receives the policy during which it can be cancelled."
        ),
    )

    class Meta:
        verbose_name = _("service settings")
        verbose_name_plural = _("service settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(cooling_off_days__gte=1), name="service_settings_cooling_off_positive"
            ),
        ]

    def __str__(self):
        return str(self._meta.verbose_name)

    def save(self, *args, **kwargs):
        # A single row: saving "another" one from the admin updates the one there is.
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def load(cls):
        settings_row, _created = cls.objects.get_or_create(pk=1)
        return settings_row


def open_case_q(prefix=""):
    """A Q for open cases (new, in progress, waiting); ``prefix`` such as "cases__" when
    filtering or counting from another model (a Branch's cases)."""
    return models.Q(**{f"{prefix}status__in": Case.OPEN_STATUSES})


def overdue_case_q(now=None, prefix=""):
    """A Q for open cases past their SLA deadline at ``now``."""
    return open_case_q(prefix) & models.Q(**{f"{prefix}due_at__lt": now or timezone.now()})


class CaseQuerySet(BranchOwnedQuerySet):
    def open(self):
        return self.filter(open_case_q())

    def overdue(self, now=None):
        return self.filter(overdue_case_q(now))


class CaseOwnedQuerySet(ScopedQuerySet):
    manager_path = "case__branch__manager"


class Case(QuickLoad):
    """A customer's request the account manager handles for the branch."""

    class Status(models.TextChoices):
        NEW = "new", pgettext_lazy("case status", "New")
        IN_PROGRESS = "in_progress", _("In progress")
        WAITING = "waiting", _("Waiting for department")
        RESOLVED = "resolved", _("Resolved")
        CLOSED = "closed", _("Closed")

    class ServicingType(models.TextChoices):
        CONTACT_CHANGE = "contact_change", _("Contact details change")
        BENEFICIARY_CHANGE = "beneficiary_change", _("Beneficiary change")
        POLICY_LOAN = "policy_loan", _("Policy loan")
        REINSTATEMENT = "reinstatement", _("Reinstatement")
        PAYMENT_ACCOUNT = "payment_account", _("Payment account change")
        OTHER = "other", _("Other servicing")

    class Channel(models.TextChoices):
        BRANCH_COUNTER = "branch_counter", _("At the branch")
        BANK_STAFF = "bank_staff", _("Referred by bank staff")
        PHONE = "phone", _("Phone call")
        HOTLINE = "hotline", _("Company hotline")
        OTHER = "other", _("Other")

    class Department(models.TextChoices):
        UNDERWRITING = "underwriting", _("Underwriting")
        CUSTOMER_SERVICE = "customer_service", pgettext_lazy("department", "Customer service")
        CLAIMS = "claims", _("Claims")
        OTHER = "other", _("Other department")

    OPEN_STATUSES = (Status.NEW, Status.IN_PROGRESS, Status.WAITING)

    branch = models.ForeignKey(
        "branches.Branch", on_delete=models.PROTECT, related_name="cases", verbose_name=_("branch")
    )
    customer_name = models.CharField(_("customer name"), max_length=50)
    customer_mobile = models.CharField(
        _("customer mobile"), max_length=11, validators=[mobile_validator]
    )
    customer_id_last_four = models.CharField(
        _("last four ID characters"),
        max_length=4,
        blank=True,
        validators=[id_last_four_validator],
        help_text=_("Optional, to tell customers with the same name apart."),
    )
    policy_number = models.CharField(
        _("policy number"), max_length=30, blank=True, validators=[policy_number_validator]
    )
    product = models.CharField(_("product"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    servicing_type = models.CharField(
        _("servicing type"), max_length=30, choices=ServicingType.choices, blank=True
    )
    channel = models.CharField(
        _("channel"), max_length=20, choices=Channel.choices, default=Channel.BRANCH_COUNTER
    )
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    description = models.TextField(_("what the customer asks"), blank=True)
    assigned_manager = models.ForeignKey(
        "accounts.AccountManager",
        on_delete=models.PROTECT,
        related_name="service_cases",
        verbose_name=_("assigned manager"),
    )
    department = models.CharField(
        _("department involved"), max_length=20, choices=Department.choices, blank=True
    )
    handed_over_at = models.DateTimeField(_("handed over at"), null=True, blank=True)
    policy_received_on = models.DateField(
        _("policy received on"),
        null=True,
        blank=True,
        help_text=_("For a cancellation: the day the customer signed for the policy."),
    )
    # Fixed when the case opens, so a later change of the setting does not move it.
    cooling_off_ends_on = models.DateField(_("cooling-off ends on"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    due_at = models.DateTimeField(_("due at"))
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW
    )
    resolution = models.TextField(_("resolution summary"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("opened by"),
    )

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("service case")
        verbose_name_plural = _("service cases")
        ordering = ["due_at", "pk"]
        indexes = [
            models.Index(fields=["status", "due_at"]),
            models.Index(fields=["branch", "-opened_at"]),
            models.Index(fields=["assigned_manager", "status"]),
            models.Index(fields=["kind"]),
            models.Index(fields=["priority"]),
            models.Index(fields=["opened_at"]),
            models.Index(fields=["department"]),
            # The case search and a policy's cases (the link is the policy number).
            models.Index(fields=["policy_number"]),
            models.Index(fields=["customer_mobile"]),
            # A branch's open cases and how many are overdue (the home page's planner joins
            # them for every branch in scope): a small partial index, the open cases only.
            # The statuses are OPEN_STATUSES (not in scope here; a test checks they agree).
            models.Index(
                fields=["branch", "due_at"],
                condition=Q(status__in=("new", "in_progress", "waiting")),
                name="case_open_by_branch",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_at__gt=models.F("opened_at")),
                name="case_due_after_opening",
                violation_error_message=_("The due time must be after the case was opened."),
            ),
            models.CheckConstraint(
                condition=Q(resolved_at__isnull=True) | Q(resolved_at__gte=models.F("opened_at")),
                name="case_resolved_after_opening",
                violation_error_message=_("A case cannot be resolved before it was opened."),
            ),
            models.CheckConstraint(
                condition=~Q(kind="servicing") | ~Q(servicing_type=""),
                name="case_servicing_needs_type",
                violation_error_message=_("Choose what the policy servicing is for."),
            ),
        ]

    def __str__(self):
        return f"#{self.pk} {self.get_kind_display()} · {self.customer_name}"

    @property
    def masked_mobile(self):
        return mask_phone(self.customer_mobile)

    @property
    def is_open(self):
        return self.status in self.OPEN_STATUSES

    @property
    def is_overdue(self):
        return self.is_open and self.due_at < timezone.now()

    @property
    def has_surrender_details(self):
        return self.kind in (Kind.SURRENDER, Kind.CANCELLATION)

    @property
    def cooling_off_days_left(self):
        """Days until the cooling-off period ends: 0 on its last day, negative once it is over."""
        if self.cooling_off_ends_on is None:
            return None
        return (self.cooling_off_ends_on - timezone.localdate()).days


def cooling_off_end(received_on, days):
    """The last day a policy received on ``received_on`` can be cancelled.

    The period counts from the day after receipt, so the end is receipt + days (calendar
    days; month and year ends need no special case with date arithmetic).
    """
    return received_on + datetime.timedelta(days=days)


class Outcome(models.TextChoices):
    """What a customer who wanted to surrender or cancel finally did."""

    PENDING = "pending", _("Pending")
    RETAINED = "retained", _("Retained (policy kept)")
    SURRENDERED = "surrendered", _("Surrendered")
    CANCELLED = "cancelled", _("Cancelled")


class CaseEvent(models.Model):
    """One line of a case's timeline: a note, a status change or recorded details."""

    class Kind(models.TextChoices):
        NOTE = "note", _("Note")
        STATUS = "status", _("Status change")
        DETAILS = "details", _("Details recorded")

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="events", verbose_name=_("case")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    from_status = models.CharField(
        _("from status"), max_length=20, choices=Case.Status.choices, blank=True
    )
    to_status = models.CharField(
        _("to status"), max_length=20, choices=Case.Status.choices, blank=True
    )
    text = models.TextField(_("text"), blank=True)
    # The outcome recorded with a "details" event, kept as a code so the timeline shows it in
    # the reader's language rather than the language of whoever recorded it.
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    # Likewise the department a hand-over went to.
    department = models.CharField(
        _("department involved"), max_length=20, choices=Case.Department.choices, blank=True
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    objects = CaseOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["case", "created_at"]),
            models.Index(fields=["kind", "-created_at"]),
        ]

    def __str__(self):
        return f"{self.case_id} {self.get_kind_display()}"


class SurrenderDetail(models.Model):
    """What was explained to a customer who wants to surrender or cancel, and the outcome."""

    Outcome = Outcome

    case = models.OneToOneField(
        Case, on_delete=models.CASCADE, related_name="surrender_detail", verbose_name=_("case")
    )
    procedure_explained = models.BooleanField(_("surrender procedure explained"), default=False)
    time_limits_explained = models.BooleanField(_("time limits explained"), default=False)
    cash_value = models.DecimalField(
        _("cash value (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    cash_value_explained = models.BooleanField(_("cash value explained"), default=False)
    pros_and_cons_explained = models.BooleanField(_("pros and cons set out"), default=False)
    notes = models.TextField(_("what was said"), blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=Outcome.choices, default=Outcome.PENDING
    )
    abnormal_event = models.ForeignKey(
        "branches.AbnormalEvent",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="service_cases",
        verbose_name=_("abnormal event report"),
        help_text=_("For a surrender caused by the bank."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = CaseOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("surrender or cancellation details")
        verbose_name_plural = _("surrender or cancellation details")
        indexes = [models.Index(fields=["outcome"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(cash_value__isnull=True) | Q(cash_value__gte=0),
                name="surrender_cash_value_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.case} · {self.get_outcome_display()}"
