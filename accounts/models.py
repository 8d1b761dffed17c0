"""Identity: the account managers and who supervises them. Depends on no domain app."""

from django.conf import settings
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.querysets import ScopedQuerySet
from core.loading import QuickLoad
from core.names import full_name
from core.validators import mobile_validator


class AccountManagerQuerySet(ScopedQuerySet):
    manager_path = ""


class AccountManager(QuickLoad):
    """An insurer's bancassurance account manager (客户经理): the person who keeps branches.

    The table keeps its first name (grading_accountmanager): the model moved here from grading
    so that every app can point at it without depending on the grading ladder.
    """

    class EntryRoute(models.TextChoices):
        NEW_HIRE = "new_hire", _("New hire")
        AFFILIATION = "affiliation", _("Same-grade affiliation")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="account_manager",
        verbose_name=_("user"),
    )
    employee_number = models.CharField(_("employee number"), max_length=20, unique=True)
    hire_date = models.DateField(_("hire date"))
    mobile = models.CharField(_("mobile"), max_length=11, validators=[mobile_validator])
    # The supervisor is a user, not a manager profile: supervisors need not sell themselves.
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="team_members",
        verbose_name=_("supervisor"),
    )
    # The current team, kept by accounts.services.move_manager together with the dated
    # TeamMembership rows (the history) and ``supervisor`` (the team's head).
    team = models.ForeignKey(
        "OrgUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        limit_choices_to={"kind": "team"},
        verbose_name=_("team"),
        editable=False,
    )
    is_active = models.BooleanField(_("active"), default=True)
    entry_route = models.CharField(
        _("entry route"), max_length=12, choices=EntryRoute.choices, default=EntryRoute.NEW_HIRE
    )
    previous_employer = models.CharField(_("previous employer"), max_length=100, blank=True)
    previous_title = models.CharField(_("previous title"), max_length=100, blank=True)
    affiliation_reason = models.TextField(_("affiliation reason"), blank=True)

    objects = AccountManagerQuerySet.as_manager()

    class Meta:
        db_table = "grading_accountmanager"
        verbose_name = _("account manager")
        verbose_name_plural = _("account managers")
        ordering = ["employee_number"]
        indexes = [
            models.Index(fields=["is_active", "supervisor"]),
            models.Index(fields=["entry_route"]),
        ]
        constraints = [
            # 同职级挂靠 must say where the person came from and why they were placed so.
            models.CheckConstraint(
                condition=~models.Q(entry_route="affiliation")
                | (~models.Q(previous_employer="") & ~models.Q(affiliation_reason="")),
                name="manager_affiliation_documented",
            ),
        ]

    def __str__(self):
        return f"{self.display_name} ({self.employee_number})"

    @property
    def display_name(self):
        return full_name(self.user)


class OrgUnit(models.Model):
    """A unit of the organisation: province branch (省分公司) → city branch (中支/市分公司) → team.

    A tree kept as a parent link plus a materialised path ("000001.000007.") so that a unit's
    whole subtree is one indexed prefix query (``path__startswith``). The path is written by
    accounts.services.save_unit, never by hand.
    """

    class Kind(models.TextChoices):
        PROVINCE = "province", _("Province branch")
        CITY = "city", _("City branch")
        TEAM = "team", _("Team")

    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent unit"),
    )
    head = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="headed_units",
        verbose_name=_("head"),
    )
    path = models.CharField(_("path"), max_length=255, editable=False, default="")

    class Meta:
        verbose_name = _("organisation unit")
        verbose_name_plural = _("organisation units")
        ordering = ["path"]
        indexes = [
            # varchar_pattern_ops lets PostgreSQL use the index for LIKE 'prefix%' whatever the
            # collation; other databases ignore the operator class.
            models.Index(fields=["path"], name="orgunit_path", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["kind", "path"], name="orgunit_kind_path"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="province") | models.Q(parent__isnull=True),
                name="orgunit_province_is_a_root",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def depth(self):
        return self.path.count(".")


class TeamMembership(models.Model):
    """A manager's time in a team: from ``started`` (included) to ``ended`` (excluded).

    A manager has at most one open membership (no ``ended``), enforced by the database.
    Work is counted for the team the manager was in on the day it was done.
    """

    manager = models.ForeignKey(
        AccountManager,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("account manager"),
    )
    team = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="memberships",
        limit_choices_to={"kind": "team"},
        verbose_name=_("team"),
    )
    started = models.DateField(_("from"))
    ended = models.DateField(_("until (excluded)"), null=True, blank=True)

    class Meta:
        verbose_name = _("team membership")
        verbose_name_plural = _("team memberships")
        ordering = ["manager", "started"]
        indexes = [
            models.Index(fields=["manager", "started"], name="membership_manager_started"),
            models.Index(fields=["team", "started"], name="membership_team_started"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["manager"],
                condition=models.Q(ended__isnull=True),
                name="membership_one_open_per_manager",
            ),
            models.CheckConstraint(
                condition=models.Q(ended__isnull=True) | models.Q(ended__gt=models.F("started")),
                name="membership_ends_after_it_starts",
            ),
        ]

    def __str__(self):
        return f"{self.manager} → {self.team} ({self.started}–{self.ended or ''})"


class UserSession(AbstractBaseSession):
    """A signed-in (or anonymous) browser session, with whose it is beside the encoded data.

    Django's session row keeps the user's id only inside its encoded data, so a page read
    the session and then, in a second round trip, the user. With the user in a column of
    its own, ``accounts.sessions`` reads the session and the user with their roles in one
    statement (issue 22). The column follows the data on every save; it is never the
    source of truth for who is signed in (the data and Django's session hash are).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        # A deleted user's sessions go with them (Django's own cascade), but without a
        # database constraint: a session saved in the request that deleted its user must
        # not fail; the row is then found by no one (accounts.sessions).
        on_delete=models.CASCADE,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )

    class Meta(AbstractBaseSession.Meta):
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    @classmethod
    def get_session_store_class(cls):
        from accounts.sessions.db import SessionStore

        return SessionStore
