import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from branches.models import BranchOwnedQuerySet
from core.loading import QuickLoad
from core.validators import mask_phone, mobile_validator

# A bank employee is an adult of working age; the bounds keep typing slips (and 30-digit
# numbers, which datetime.date cannot take) out.
MIN_BIRTH_YEAR = 1900
MAX_BIRTH_YEAR = 2100


class BranchStaff(QuickLoad):
    """A bank employee at a branch: a contact, not a user."""

    class Role(models.TextChoices):
        DIRECTOR = "director", _("Branch director")
        LOBBY_MANAGER = "lobby_manager", _("Lobby manager")
        WEALTH_MANAGER = "wealth_manager", _("Wealth manager")
        TELLER = "teller", _("Counter staff")
        ACCOUNT_MANAGER = "account_manager", _("Bank account manager")
        DEPARTMENT_MANAGER = "department_manager", _("Business department manager")
        SECURITY = "security", _("Security guard")
        OTHER = "other", _("Other")

    branch = models.ForeignKey(
        "branches.Branch", on_delete=models.CASCADE, related_name="staff", verbose_name=_("branch")
    )
    name = models.CharField(_("full name"), max_length=50)
    role = models.CharField(_("role"), max_length=30, choices=Role.choices, default=Role.TELLER)
    is_key_teller = models.BooleanField(_("key teller"), default=False)
    is_influencer = models.BooleanField(_("centre of influence"), default=False)
    mobile = models.CharField(_("mobile"), max_length=11, blank=True, validators=[mobile_validator])
    # Month and day are what reminders need; many people will not tell their year.
    birth_month = models.PositiveSmallIntegerField(
        _("birth month"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    birth_day = models.PositiveSmallIntegerField(
        _("birth day"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
    )
    birth_year = models.PositiveSmallIntegerField(
        _("birth year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(MIN_BIRTH_YEAR), MaxValueValidator(MAX_BIRTH_YEAR)],
    )
    # month * 100 + day, stored and indexed so the birthday scan is an index range query.
    birth_monthday = models.GeneratedField(
        expression=models.F("birth_month") * 100 + models.F("birth_day"),
        output_field=models.PositiveSmallIntegerField(),
        db_persist=True,
        verbose_name=_("birthday (month and day)"),
    )
    hobbies = models.CharField(_("hobbies"), max_length=200, blank=True)
    home_area = models.CharField(
        _("home area"),
        max_length=100,
        blank=True,
        help_text=_("Rough area only, e.g. a district or estate."),
    )
    family_notes = models.TextField(_("family"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    is_active = models.BooleanField(_("still at the branch"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = BranchOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("bank staff")
        verbose_name_plural = _("bank staff")
        ordering = ["branch", "name"]
        indexes = [
            models.Index(fields=["branch", "is_active"]),
            models.Index(fields=["birth_monthday"]),
            models.Index(fields=["name"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(birth_month__isnull=True)
                | models.Q(birth_month__gte=1, birth_month__lte=12),
                name="staff_birth_month_range",
            ),
            models.CheckConstraint(
                condition=models.Q(birth_day__isnull=True)
                | models.Q(birth_day__gte=1, birth_day__lte=31),
                name="staff_birth_day_range",
            ),
            models.CheckConstraint(
                condition=models.Q(birth_month__isnull=True, birth_day__isnull=True)
                | models.Q(birth_month__isnull=False, birth_day__isnull=False),
                name="staff_birth_month_and_day_together",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.get_role_display()})"

    @property
    def masked_mobile(self):
        return mask_phone(self.mobile)

    @property
    def birthday_display(self):
        if not self.birth_month:
            return ""
        if self.birth_year:
            return f"{self.birth_year}-{self.birth_month:02d}-{self.birth_day:02d}"
        return f"{self.birth_month:02d}-{self.birth_day:02d}"

    def clean(self):
        super().clean()
        if (self.birth_month is None) != (self.birth_day is None):
            raise ValidationError(_("Give both the month and the day of the birthday."))
        if self.birth_year is not None and self.birth_month is None:
            raise ValidationError(_("A birth year needs a month and a day."))
        if self.birth_month is not None and self._birthday_in_range():
            # Without a year, 29 February is a real birthday: check against a leap year.
            year = self.birth_year or 2000
            try:
                datetime.date(year, self.birth_month, self.birth_day)
            except (ValueError, OverflowError):
                raise ValidationError(
                    {"birth_day": _("That date does not exist: check the month and day.")}
                ) from None

    def _birthday_in_range(self):
        """The field validators report out-of-range parts; the date check waits for them."""
        return (
            1 <= self.birth_month <= 12
            and 1 <= self.birth_day <= 31
            and (self.birth_year is None or MIN_BIRTH_YEAR <= self.birth_year <= MAX_BIRTH_YEAR)
        )


class StaffPosting(models.Model):
    """One stint of a bank employee at a branch. A move closes one posting and opens the next,
    so the relationship history survives a rotation."""

    staff = models.ForeignKey(
        BranchStaff, on_delete=models.CASCADE, related_name="postings", verbose_name=_("bank staff")
    )
    branch = models.ForeignKey(
        "branches.Branch",
        on_delete=models.CASCADE,
        related_name="staff_postings",
        verbose_name=_("branch"),
    )
    role = models.CharField(_("role"), max_length=30, choices=BranchStaff.Role.choices)
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    objects = BranchOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("staff posting")
        verbose_name_plural = _("staff postings")
        ordering = ["staff", "-started_on"]
        indexes = [
            models.Index(fields=["staff", "-started_on"]),
            models.Index(fields=["branch", "ended_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(ended_on__gte=models.F("started_on")),
                name="posting_end_after_start",
            ),
            models.UniqueConstraint(
                fields=["staff"],
                condition=models.Q(ended_on__isnull=True),
                name="posting_one_open_per_staff",
            ),
        ]

    def __str__(self):
        return f"{self.staff.name} @ {self.branch} {self.started_on}"
