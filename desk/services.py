"""Writes of the top app: the unit pages' stored figures (``desk.models``)."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from accounts.models import OrgUnit
from core.batch import fetch_together
from core.dates import week_start
from desk.dashboard import WEEKS, first_monday_of, visits_per_week
from desk.models import TeamFigures, TeamWeekVisits
from desk.work_teams import managers_in, team_in, visit_days_query
from documents.models import BranchStock
from duties.selectors import weekly_completion_query
from service.models import Case

FIGURE_FIELDS = (
    *("day", "computed_at", "open_cases", "overdue_cases", "stock_outages"),
    *("checklist_items", "checklist_done"),
)


@dataclass(frozen=True)
class TeamFiguresRows:
    """Every team's stored figures, as the unit pages read them: ``figures`` rows of (team id,
    *FIGURE_FIELDS), ``weeks`` rows of (team id, Monday, visits)."""

    figures: list
    weeks: list


def team_figures_queries(
    *, today: datetime.date, now: datetime.datetime, weeks: int = WEEKS, team_ids=None
):
    """The live counts behind the stored figures, for every team at once (``team_ids`` None)
    or for some (a list of ids), unevaluated: the
    visits per team and week (``work_team``, ``week`` 1..``weeks``), each counted for the team
    of its manager on its day; the open cases and those past due at ``now``, and the items
    out of stock, each for the current team of the branch's manager; the checklist items due
    in ``today``'s week of the active managers, for their current team."""
    first_monday = first_monday_of(today, weeks)
    return [
        visits_per_week(visit_days_query(team_ids, first_monday), first_monday, weeks, "work_team"),
        Case.objects.filter(team_in("branch__manager__team_id", team_ids))
        .open()
        .order_by()
        .values("branch__manager__team_id")
        .annotate(total=Count("pk"), overdue=Count("pk", filter=Q(due_at__lt=now))),
        BranchStock.objects.filter(
            team_in("branch__manager__team_id", team_ids),
            branch__is_active=True,
            item__is_active=True,
            on_hand__lte=0,
        )
        .order_by()
        .values("branch__manager__team_id")
        .annotate(total=Count("pk")),
        weekly_completion_query(managers_in(team_ids), week_start(today), by="manager__team_id"),
        OrgUnit.objects.filter(team_in("pk", team_ids), kind=OrgUnit.Kind.TEAM)
        .order_by("pk")
        .values_list("pk", flat=True),
    ]


def refresh_team_figures(
    *,
    now: datetime.datetime | None = None,
    today: datetime.date | None = None,
    weeks: int = WEEKS,
) -> TeamFiguresRows:
    """Count every team's unit-page figures as of ``now`` (default: this moment) for the
    local day ``today`` (default: ``now``'s) and store them.

    Rule: every team gets its row, zeros included (a team without one was created since: a
    page that finds one missing refreshes), and a row for each of the ``weeks`` weeks that
    end with ``today``'s; older weeks are deleted. Rows are upserted, so beat's run and a
    head's refresh may overlap: the later one's counts stay. Returns the rows stored.
    """
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    visit_rows, case_rows, outage_rows, checklist_rows, teams = fetch_together(
        team_figures_queries(today=today, now=now, weeks=weeks)
    )
    first_monday = first_monday_of(today, weeks)
    mondays = [first_monday + datetime.timedelta(weeks=n) for n in range(weeks)]
    visits = {
        (row["work_team"], mondays[row["week"] - 1]): row["total"]
        for row in visit_rows
        if 1 <= row["week"] <= weeks
    }
    cases = {row["branch__manager__team_id"]: row for row in case_rows}
    outages = {row["branch__manager__team_id"]: row["total"] for row in outage_rows}
    checklists = {row["manager__team_id"]: row for row in checklist_rows}
    figures = [
        TeamFigures(
            team_id=team,
            day=today,
            computed_at=now,
            open_cases=cases.get(team, {}).get("total", 0),
            overdue_cases=cases.get(team, {}).get("overdue", 0),
            stock_outages=outages.get(team, 0),
            checklist_items=checklists.get(team, {}).get("total", 0),
            checklist_done=checklists.get(team, {}).get("done", 0),
        )
        for team in teams
    ]
    week_rows = [
        TeamWeekVisits(team_id=team, week=monday, visits=visits.get((team, monday), 0))
        for team in teams
        for monday in mondays
    ]
    with transaction.atomic():
        TeamFigures.objects.bulk_create(
            figures,
            update_conflicts=True,
            unique_fields=["team"],
            update_fields=list(FIGURE_FIELDS),
        )
        TeamWeekVisits.objects.bulk_create(
            week_rows,
            update_conflicts=True,
            unique_fields=["team", "week"],
            update_fields=["visits"],
        )
        TeamWeekVisits.objects.exclude(week__gte=first_monday, week__lte=mondays[-1]).delete()
    return TeamFiguresRows(
        figures=[(row.team_id, *(getattr(row, name) for name in FIGURE_FIELDS)) for row in figures],
        weeks=[(row.team_id, row.week, row.visits) for row in week_rows],
    )
