from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.querysets import ScopedQuerySet
from core import geo
from core.loading import QuickLoad
from core.validators import validate_phone

COORDINATE = {"max_digits": 9, "decimal_places": 6, "null": True, "blank": True}


class BranchOwnedQuerySet(ScopedQuerySet):
    manager_path = "branch__manager"


class Bank(QuickLoad):
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


class Branch(QuickLoad):
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
    # WGS-84 degrees, as phones report them. Set in the admin, by import, or by a supervisor
    # confirming a check-in's position (branches.services.confirm_branch_position).
    latitude = models.DecimalField(_("latitude"), **COORDINATE)
    longitude = models.DecimalField(_("longitude"), **COORDINATE)
    # The latest visit's time and the next visit it planned, kept in step with every save
    # and delete of a visit (branches.signals, branches.services.note_new_visit and
    # refresh_latest_visit) so that lists, the planner and the stock checks sort and filter
    # without reading the visit table: a subquery per branch was 1.7 ms of the supervisor
    # home at scale 5 (issue 22).
    last_visit_at = models.DateTimeField(_("last visit"), null=True, blank=True, editable=False)
    planned_visit_on = models.DateField(
        _("planned next visit"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("branch")
        verbose_name_plural = _("branches")
        ordering = ["bank__name", "code"]
        constraints = [
            models.UniqueConstraint(fields=["bank", "code"], name="branch_code_unique_per_bank"),
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True, longitude__isnull=True)
                # Both given and in range. The IS NOT NULLs matter: in SQL a comparison with
                # NULL is unknown, and a CHECK passes on unknown, so without them a branch with
                # one coordinate passed.
                | models.Q(
                    latitude__isnull=False,
                    longitude__isnull=False,
                    latitude__gte=-90,
                    latitude__lte=90,
                    longitude__gte=-180,
                    longitude__lte=180,
                ),
                name="branch_position_both_and_in_range",
            ),
        ]
        indexes = [
            models.Index(fields=["manager", "is_active"]),
            # The branch list's district choices, the districts of a user's managers' branches:
            # read from the index alone (1.2 -> 0.2 ms for a team at scale 1, issue 22).
            models.Index(fields=["manager", "district"], name="branch_manager_district"),
            # A team's branches joined by their managers (the home's month against target
            # and rank among peers: 250 branches) read from the index alone, not a scan of
            # every branch (2.9 + 3.5 -> 1.1 + 1.7 ms at scale 1, issue 22).
            models.Index(fields=["manager", "id"], name="branch_manager_id"),
            models.Index(fields=["tier"]),
            models.Index(fields=["district"]),
            models.Index(fields=["last_visit_at"]),
            models.Index(fields=["planned_visit_on"], name="branch_planned_visit_on"),
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
    def position(self):
        """(latitude, longitude), or None while the branch has no coordinates."""
        if self.latitude is None or self.longitude is None:
            return None
        return (self.latitude, self.longitude)

    @property
    def days_since_visit(self):
        if self.last_visit_at is None:
            return None
        return (timezone.localdate() - timezone.localtime(self.last_visit_at).date()).days


class Visit(QuickLoad):
    class Purpose(models.TextChoices):
        PLAN = "plan", _("Plan and competition scheme")
        RELATIONSHIP = "relationship", _("Relationship upkeep")
        TRAINING = "training", _("Training")
        DELIVERY = "delivery", _("Material delivery")
        COLLECTION = "collection", _("Form collection")
        SERVICE = "service", _("Customer service")
        CONSULTATION = "consultation", _("Consultation day")
        OTHER = "other", _("Other")

    class LocationStatus(models.TextChoices):
        # core.geo.judge_checkin decides which one; the values are its constants.
        OK = geo.OK, _("At the branch")
        FAR = geo.FAR, _("Far from the branch")
        LOW_ACCURACY = geo.LOW_ACCURACY, _("Position not precise enough")
        NO_LOCATION = geo.NO_LOCATION, _("No location")
        BRANCH_UNLOCATED = geo.BRANCH_UNLOCATED, _("Branch has no coordinates")

    # Statuses the supervisor looks at: everything but a precise check-in at the branch.
    FLAGGED = (
        LocationStatus.FAR,
        LocationStatus.LOW_ACCURACY,
        LocationStatus.NO_LOCATION,
        LocationStatus.BRANCH_UNLOCATED,
    )

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
    # Check-in (到店签到): where the phone was when the visit was logged, by the browser's
    # Geolocation API; the server computes the distance and the status (core.geo).
    checkin_latitude = models.DecimalField(_("check-in latitude"), **COORDINATE)
    checkin_longitude = models.DecimalField(_("check-in longitude"), **COORDINATE)
    checkin_accuracy_m = models.PositiveIntegerField(
        _("check-in accuracy (m)"), null=True, blank=True
    )
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_out_at = models.DateTimeField(_("checked out at"), null=True, blank=True)
    distance_m = models.PositiveIntegerField(_("distance to the branch (m)"), null=True, blank=True)
    # Empty for visits logged before check-ins existed.
    location_status = models.CharField(
        _("location"), max_length=20, choices=LocationStatus.choices, blank=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = BranchOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-visited_at"]
        indexes = [
            # A branch's visits newest first, the id breaking ties as the "latest visit"
            # reads do (branches.selectors.latest_planned_visit): on (branch, visited_at)
            # alone PostgreSQL sorted each branch's visits for the id, 11 us a branch, the
            # supervisor home's 250 branches 2.7 ms (scale 5; 6 us with the id).
            models.Index(fields=["branch", "-visited_at", "-id"], name="visit_branch_latest"),
            models.Index(fields=["manager", "-visited_at"]),
            # The unit pages' weekly chart: every visit of the last twelve weeks (issue 22).
            models.Index(fields=["visited_at"], name="visit_visited_at"),
            models.Index(fields=["next_visit_on"]),
            models.Index(fields=["location_status", "-visited_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(checked_out_at__isnull=True)
                | models.Q(checked_out_at__gte=models.F("checked_in_at")),
                name="visit_check_out_after_check_in",
            ),
        ]

    def __str__(self):
        return f"{self.branch} {timezone.localtime(self.visited_at):%Y-%m-%d %H:%M}"

    def get_purposes_display(self):
        labels = dict(self.Purpose.choices)
        return [labels.get(code, code) for code in self.purposes]

    @property
    def checkin_position(self):
        if self.checkin_latitude is None or self.checkin_longitude is None:
            return None
        return (self.checkin_latitude, self.checkin_longitude)

    @property
    def is_flagged(self):
        return self.location_status in self.FLAGGED

    @property
    def is_open(self):
        """Checked in and not yet checked out."""
        return self.checked_in_at is not None and self.checked_out_at is None

    @property
    def minutes_on_site(self):
        if self.checked_in_at is None or self.checked_out_at is None:
            return None
        return int((self.checked_out_at - self.checked_in_at).total_seconds() // 60)


class VisitDay(models.Model):
    """How many visits a manager made on a local (Asia/Shanghai) day: a summary of ``Visit``
    kept in step, in the same transaction, by the receivers in ``branches.signals`` (every
    save and delete of a visit) and rebuilt by ``services.rebuild_visit_days`` after bulk
    inserts (issue 22). A manager's day does not depend on their team, so the unit pages join
    these rows to the dated team memberships by plain date comparisons: about 17,000 rows for a
    province's twelve weeks instead of 100,000 visits, each converted to a local time."""

    manager = models.ForeignKey(
        "accounts.AccountManager",
        on_delete=models.CASCADE,
        related_name="visit_days",
        verbose_name=_("account manager"),
        # The unique (manager, day) below starts with the manager: a second index on it
        # alone would only cost each visit's write.
        db_index=False,
    )
    day = models.DateField(_("visit day"))
    visits = models.IntegerField(_("visits"), default=0)

    class Meta:
        verbose_name = _("visits of a day")
        verbose_name_plural = _("visits per day")
        indexes = [
            # Every manager's days of a period (the unit pages, a rebuild from a day on). On
            # PostgreSQL migration 0016 makes it INCLUDE (manager_id, visits): read from the
            # index alone (SQLite has no such indexes, and Django warns of them there).
            models.Index(fields=["day"], name="visitday_day"),
            # Some managers' days of a period (a team's twelve weeks on its dashboard). On
            # PostgreSQL migration 0022 makes it INCLUDE (visits) as 0016 does the day index: the
            # day index read a province's every day to keep one team's 783 (3.2 -> 0.6 ms
            # at scale 1).
            models.Index(fields=["manager", "day"], name="visitday_manager_day_visits"),
        ]
        constraints = [
            # Also the index of a manager's days of a period (the membership join).
            models.UniqueConstraint(fields=["manager", "day"], name="visitday_manager_day"),
            models.CheckConstraint(
                condition=models.Q(visits__gte=0), name="visitday_visits_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.manager_id} {self.day}: {self.visits}"


class VisitChange(models.Model):
    """One correction of a visit by its author (branches.services.correct_visit).

    ``changes`` is a list of {"field", "old", "new"}: the field's name and its values as
    they read then (purpose labels, staff names), so the history stays readable after the
    staff list changes.
    """

    visit = models.ForeignKey(
        Visit, on_delete=models.CASCADE, related_name="changes", verbose_name=_("visit")
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)
    changes = models.JSONField(_("changes"), default=list)

    # Read through its visit (scoped); no list of its own.

    class Meta:
        verbose_name = _("visit correction")
        verbose_name_plural = _("visit corrections")
        ordering = ["-changed_at", "-pk"]
        indexes = [models.Index(fields=["visit", "-changed_at"])]

    def __str__(self):
        return f"{self.visit} {timezone.localtime(self.changed_at):%Y-%m-%d %H:%M}"


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
        # reported → acknowledged (the supervisor has seen it) → responded (the company's
        # answer is recorded) → closed; moved only by branches.services (see EVENT_MOVES).
        REPORTED = "reported", _("Reported")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        RESPONDED = "responded", _("Responded")
        CLOSED = "closed", _("Closed")

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
        _("follow-up status"),
        max_length=20,
        choices=Status.choices,
        default=Status.REPORTED,
        editable=False,
    )
    company_response = models.TextField(_("company response"), blank=True, editable=False)
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True, editable=False)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responded by"),
        editable=False,
    )
    # The category's response time in force when the event was reported, as a deadline.
    respond_by = models.DateTimeField(_("respond by"), null=True, blank=True, editable=False)
    # Set once, by the escalation task, when the deadline passed without a response.
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True, editable=False)
    escalated_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("escalated to"),
        editable=False,
    )
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True)

    objects = BranchOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("abnormal event")
        verbose_name_plural = _("abnormal events")
        ordering = ["-occurred_on", "-pk"]
        indexes = [
            models.Index(fields=["branch", "-occurred_on"]),
            models.Index(fields=["status"]),
            models.Index(fields=["category"]),
            # The escalation task: open events past their deadline, not yet escalated.
            models.Index(fields=["escalated_at", "respond_by"], name="event_escalation"),
            models.Index(fields=["status", "category", "occurred_on"], name="event_open_groups"),
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

    @property
    def is_open(self):
        return self.status != self.Status.CLOSED

    def is_overdue(self, now=None):
        """Past its response time without the company's response."""
        return (
            self.respond_by is not None
            and self.status in OPEN_UNANSWERED
            and self.respond_by < (now or timezone.now())
        )


# Statuses still waiting for the company's response: these escalate when overdue.
OPEN_UNANSWERED = (AbnormalEvent.Status.REPORTED, AbnormalEvent.Status.ACKNOWLEDGED)


class EventResponseTime(models.Model):
    """How long the company has to answer an abnormal event of one category (data, admin)."""

    category = models.CharField(
        _("category"), max_length=30, choices=AbnormalEvent.Category.choices, unique=True
    )
    response_hours = models.PositiveIntegerField(
        _("response time (hours)"),
        help_text=_("From the report to the company's response; later, it goes up a level."),
    )

    class Meta:
        verbose_name = _("event response time")
        verbose_name_plural = _("event response times")
        ordering = ["category"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(response_hours__gt=0), name="event_response_hours_positive"
            ),
        ]

    def __str__(self):
        return str(self.get_category_display())


class EventActionQuerySet(ScopedQuerySet):
    manager_path = "event__branch__manager"


class EventAction(models.Model):
    """One step in an abnormal event's history: who did what, when, and the status move."""

    class Kind(models.TextChoices):
        REPORT = "report", _("Reported")
        ACKNOWLEDGE = "acknowledge", _("Acknowledged")
        RESPOND = "respond", _("Responded")
        CLOSE = "close", _("Closed")
        REOPEN = "reopen", _("Reopened")
        ESCALATE = "escalate", _("Escalated")

    event = models.ForeignKey(
        AbnormalEvent, on_delete=models.CASCADE, related_name="actions", verbose_name=_("event")
    )
    kind = models.CharField(_("action"), max_length=12, choices=Kind.choices)
    from_status = models.CharField(
        _("status before"), max_length=20, choices=AbnormalEvent.Status.choices, blank=True
    )
    to_status = models.CharField(
        _("status after"), max_length=20, choices=AbnormalEvent.Status.choices
    )
    # None: the system (the escalation task).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)

    objects = EventActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("event action")
        verbose_name_plural = _("event actions")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["event", "at"])]

    def __str__(self):
        return f"{self.event_id} {self.kind} {self.from_status}→{self.to_status}"


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
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

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


class PlanTarget(QuickLoad):
    """计划任务: what the branch agreed to sell in one work period, under a competition scheme."""

    branch = models.ForeignKey(
        Branch,
        on_delete=models.CASCADE,
        related_name="targets",
        verbose_name=_("branch"),
        # The unique (branch, period start) below starts with the branch.
        db_index=False,
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    premium_target = models.DecimalField(
        _("premium target (yuan)"), max_digits=14, decimal_places=2
    )
    policy_count_target = models.PositiveIntegerField(_("policy count target"), default=0)
    competition_scheme = models.CharField(_("competition scheme"), max_length=120, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

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
        indexes = [
            models.Index(fields=["period_start", "period_end"]),
            # A team's targets of the year, per branch (the dashboard's 3,000 at scale 5). On
            # PostgreSQL migration 0023 makes it INCLUDE the period's end and both targets:
            # read from the index alone (2.5 -> 1.4 ms for the sums, 1.2 -> 0.8 ms for the
            # branches' own).
            models.Index(fields=["branch", "period_start"], name="plantarget_branch_covering"),
        ]

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
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

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
    resource = models.CharField(_("import of"), max_length=200)
    file_name = models.CharField(_("file"), max_length=255)
    file_format = models.CharField(_("format"), max_length=10)
    data = models.BinaryField(_("file"), editable=False, default=b"")
    language = models.CharField(_("language"), max_length=10, default="zh-hans")
    dry_run = models.BooleanField(_("check only"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveIntegerField(_("rows done"), default=0)
    total = models.PositiveIntegerField(_("rows"), default=0)
    # {"created", "updated", "unchanged", "rejected", "saved"} once done.
    summary = models.JSONField(_("import summary"), default=dict, blank=True)
    # [{"row": 3, "messages": ["..."]}, ...]: the bad rows, in the user's language.
    errors = models.JSONField(_("import errors"), default=list, blank=True)
    # Why the whole file failed (unreadable, too large...), in the user's language.
    message = models.TextField(_("result message"), blank=True)

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
