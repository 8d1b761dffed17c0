"""Stored figures of the unit pages (城市、省级看板).

A city's or the province's page adds up every team below it: the visits of twelve weeks, the
week's checklist, the open and overdue cases, the items out of stock. Counted live, that grows
with the branches, the visits and the managers (210 ms for the province at scale 5, issue 22;
the checklist alone 2.2 of the province's 3 ms at scale 1). These tables hold the counts
per team, written by ``desk.services.refresh_team_figures`` every five minutes (beat), on a
head's "refresh" and whenever a page finds them older than ``UNIT_FIGURES_MAX_AGE``; the
pages read a row per team and say when it was counted. The team dashboard, the team's own
page and every manager's page stay live.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import OrgUnit


class TeamFigures(models.Model):
    """A team's states as of ``computed_at``: open and overdue cases, items out of stock."""

    team = models.OneToOneField(
        OrgUnit,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
        verbose_name=_("team"),
    )
    day = models.DateField(_("counted for the day"))
    computed_at = models.DateTimeField(_("counted at"))
    open_cases = models.PositiveIntegerField(_("open cases"), default=0)
    overdue_cases = models.PositiveIntegerField(_("overdue cases"), default=0)
    stock_outages = models.PositiveIntegerField(_("items out of stock"), default=0)
    # The checklist items due in the week of ``day`` of the team's active managers.
    checklist_items = models.PositiveIntegerField(_("checklist items this week"), default=0)
    checklist_done = models.PositiveIntegerField(_("checklist items done this week"), default=0)

    class Meta:
        verbose_name = _("team figures")
        verbose_name_plural = _("team figures")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(overdue_cases__lte=models.F("open_cases")),
                name="team_figures_overdue_within_open",
            ),
            models.CheckConstraint(
                condition=models.Q(checklist_done__lte=models.F("checklist_items")),
                name="team_figures_done_within_items",
            ),
        ]

    def __str__(self):
        return f"{self.team_id} @ {self.computed_at:%Y-%m-%d %H:%M}"


class TeamWeekVisits(models.Model):
    """The visits made in a team in one local week (Monday ``week``), each counted for the
    team its manager was in on its day."""

    team = models.ForeignKey(
        OrgUnit, on_delete=models.CASCADE, related_name="+", verbose_name=_("team")
    )
    week = models.DateField(_("week starting"))
    visits = models.PositiveIntegerField(_("visits"), default=0)

    class Meta:
        verbose_name = _("team visits per week")
        verbose_name_plural = _("team visits per week")
        constraints = [
            models.UniqueConstraint(fields=["team", "week"], name="team_week_visits_unique")
        ]

    def __str__(self):
        return f"{self.team_id} {self.week}: {self.visits}"
