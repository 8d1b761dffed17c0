"""The organisation's units as pages: a dashboard at every level and the monthly report.

Work is counted for the team its manager belonged to on the day it was done (the dated
``accounts.TeamMembership``), so a manager's move takes no history with them. States of
today (open and overdue cases, items out of stock, levels, this week's checklist) belong to
the manager's current team. Every figure is one aggregate over the whole subtree: a unit's
page costs the same number of queries for a team as for the whole province. What counts rows
over every branch, visit and checklist item (cases, stock, the weekly visits, the week's
checklist) is read from the counts stored per team by
``desk.services.refresh_team_figures``; the rest (managers, levels) is read live.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, F, Q, Subquery, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.access import visible_units
from accounts.models import AccountManager, OrgUnit
from branches.models import VisitDay
from core.batch import fetch_together
from core.dates import local_midnight, month_bounds, week_start
from core.names import NAME_FIELDS
from core.prepared import fetch_prepared
from desk.dashboard import WEEKS, first_monday_of, visits_per_week
from desk.models import TeamFigures, TeamWeekVisits
from desk.services import FIGURE_FIELDS, refresh_team_figures
from desk.work_teams import (
    counts_by_team,
    managers_in,
    team_in,
    visit_days_query,
    with_work_team,
)
from grading.models import Assessment, CurrentLevel, Level
from reminders.models import StockEpisode
from service.models import Case


def unit_for(user, pk):
    """A unit the user may open (their own or one below it), or 404."""
    try:
        return visible_units(user).select_related("parent", "head").get(pk=pk)
    except (OrgUnit.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _home_unit_read(v):
    return [
        OrgUnit.objects.filter(head_id=v.user).select_related("parent", "head").order_by("path")[:1]
    ]


def home_unit(user):
    """The highest unit the user heads (None if they head none). A read compiled once per
    process (``core.prepared``): a city's or the province's head asks on every dashboard."""
    (found,) = fetch_prepared("desk.units.home_unit", _home_unit_read, user=user.pk)
    return found[0] if found else None


@dataclass
class Tree:
    """A unit, the rows it is shown in (its children, or its members for a team) and which
    row every team below it adds up into."""

    unit: OrgUnit
    children: list
    row_of_team: dict

    @property
    def team_ids(self):
        return list(self.row_of_team)


def tree_of(unit):
    """Two queries: the unit's children and every team in its subtree (none for a team)."""
    if unit.kind == OrgUnit.Kind.TEAM:
        return Tree(unit, [], {unit.pk: unit.pk})
    children = list(unit.children.select_related("head").order_by("path"))
    row_of_team = {}
    for team in OrgUnit.objects.filter(kind=OrgUnit.Kind.TEAM, path__startswith=unit.path):
        for child in children:
            if team.path.startswith(child.path):
                row_of_team[team.pk] = child.pk
    return Tree(unit, children, row_of_team)


@dataclass
class UnitRow:
    unit: OrgUnit
    managers: int = 0
    visits_this_week: int = 0
    completion_done: int = 0
    completion_total: int = 0
    open_cases: int = 0
    overdue_cases: int = 0
    stock_outages: int = 0

    @property
    def completion_percent(self):
        if not self.completion_total:
            return 0
        return round(100 * self.completion_done / self.completion_total)


def dashboard_queries(tree, today, weeks=WEEKS):
    """The reads of a unit's page, unevaluated: read together in one statement
    (``core.batch``), none depends on another's result."""
    return unit_queries(tree.team_ids, today, weeks)


def unit_queries(team_ids, today, weeks=WEEKS):
    """``dashboard_queries`` for the teams ``team_ids``: a list, or a subquery of their ids
    (the prepared read). What counts rows over every branch, visit and checklist item
    (cases, outages, visits per week, the week's checklist) comes from the stored figures
    (``desk.models``); the rest is live."""
    managers = managers_in(team_ids)
    return {
        # Counted per team in SQL, not 200 model instances counted in Python (issue 22).
        "managers": managers.order_by().values("team_id").annotate(total=Count("pk")),
        "grades": grades_query(team_ids),
        "levels": Level.objects.order_by("rank"),
        "figures": TeamFigures.objects.filter(team_in("team_id", team_ids))
        .order_by()
        .values_list("team_id", *FIGURE_FIELDS),
        "weeks": TeamWeekVisits.objects.filter(
            team_in("team_id", team_ids), week__gte=first_monday_of(today, weeks)
        )
        .order_by()
        .values_list("team_id", "week", "visits"),
    }


_UNIT_READS = (
    *("children", "teams", "managers"),
    *("grades", "levels", "figures", "weeks"),
)


def _unit_reads(v, today):
    """A city's or the province's reads for ``core.prepared``: its children, the teams below
    it (by path, under the unit's own: ``tree_of``'s) and ``unit_queries`` over them."""
    path = Subquery(OrgUnit.objects.filter(pk=v.unit).values("path")[:1])
    teams = OrgUnit.objects.filter(kind=OrgUnit.Kind.TEAM, path__startswith=path)
    reads = {
        # What the page shows of a child unit and its head: a head's every column made
        # each of the statement's 1,500 rows 17 columns wide at scale 5 (issue 22).
        "children": OrgUnit.objects.filter(parent_id=v.unit)
        .select_related("head")
        .only("kind", "name", "parent", "path", *(f"head__{name}" for name in NAME_FIELDS))
        .order_by("path"),
        "teams": teams.order_by("pk").values_list("pk", "path"),
        **unit_queries(teams.values("pk"), today),
    }
    return [reads[name] for name in _UNIT_READS]


def read_unit(unit, today):
    """(Tree, {name: rows}) of a city or the province: one prepared statement."""
    rows = dict(
        zip(
            _UNIT_READS,
            fetch_prepared(
                ("desk.units.dashboard", today), lambda v: _unit_reads(v, today), unit=unit.pk
            ),
            strict=True,
        )
    )
    children = rows["children"]
    for child in children:
        child.parent = unit
    row_of_team = {}
    for team_id, team_path in rows["teams"]:
        for child in children:
            if team_path.startswith(child.path):
                row_of_team[team_id] = child.pk
    return Tree(unit, children, row_of_team), rows


def is_fresh(figures, team_ids, today, now):
    """Whether the stored figures of ``team_ids`` (rows of ``unit_queries``' "figures") may be
    shown at ``now``: a row for every team, counted for ``today`` within
    ``UNIT_FIGURES_MAX_AGE`` (beat counts every five minutes; a page that finds them older,
    or a team without its row, counts them itself)."""
    oldest = now - settings.UNIT_FIGURES_MAX_AGE
    counted = {team: (day, at) for team, day, at, *_counts in figures}

    def fresh(team):
        day, at = counted.get(team, (None, None))
        return day == today and at >= oldest

    return all(fresh(team) for team in team_ids)


def fresh_figures(tree, read, today, now):
    """``read`` with its "figures" and "weeks" counted anew if they are not fresh."""
    if is_fresh(read["figures"], tree.team_ids, today, now):
        return read
    counted = refresh_team_figures(today=today, now=now)
    return {**read, "figures": counted.figures, "weeks": counted.weeks}


def child_rows(tree, today, read):
    """One row per child unit, every figure summed over the teams below it. ``read``: the
    rows of ``dashboard_queries``."""
    rows = {child.pk: UnitRow(unit=child) for child in tree.children}

    def row_of(team_id):
        return rows.get(tree.row_of_team.get(team_id))

    for team in read["managers"]:
        rows[tree.row_of_team[team["team_id"]]].managers += team["total"]
    for team_id, _day, _at, open_cases, overdue, outages, items, done in read["figures"]:
        if (row := row_of(team_id)) is not None:
            row.open_cases += open_cases
            row.overdue_cases += overdue
            row.stock_outages += outages
            row.completion_total += items
            row.completion_done += done
    monday = week_start(today)
    for team_id, week, visits in read["weeks"]:
        if week == monday and (row := row_of(team_id)) is not None:
            row.visits_this_week += visits
    return list(rows.values())


def unit_weeks(tree, today, rows, weeks=WEEKS):
    """[(Monday, visits)] of the unit's last ``weeks`` weeks from the stored weeks ``rows``."""
    first_monday = first_monday_of(today, weeks)
    totals = {first_monday + datetime.timedelta(weeks=n): 0 for n in range(weeks)}
    for team_id, week, visits in rows:
        if week in totals and team_id in tree.row_of_team:
            totals[week] += visits
    return list(totals.items())


def figures_counted_at(tree, figures):
    """When the oldest of the unit's stored figures was counted (None: no team below it)."""
    return min(
        (at for team, _day, at, *_counts in figures if team in tree.row_of_team), default=None
    )


def weeks_query(team_ids, today, weeks=WEEKS):
    """Rows of (week, total) of the teams' visits over the last ``weeks`` local weeks, each
    counted for the team its manager was in on its day (:func:`weekly_counts_from` reads
    them): the team's own page, which counts live."""
    first_monday = first_monday_of(today, weeks)
    return visits_per_week(visit_days_query(team_ids, first_monday), first_monday, weeks)


def unit_weeks_query(tree, today, weeks=WEEKS):
    return weeks_query(tree.team_ids, today, weeks)


def unit_grades_query(tree):
    return grades_query(tree.team_ids)


def grades_query(team_ids):
    return (
        CurrentLevel.objects.filter(team_in("manager__team_id", team_ids), manager__is_active=True)
        .values_list("level_id")
        .annotate(total=Count("pk"))
    )


def unit_grades(tree, rows=None, levels=None):
    """[(Level, count)] of the unit's active managers, lowest level first."""
    counts = dict(unit_grades_query(tree) if rows is None else rows)
    if levels is None:
        levels = Level.objects.order_by("rank")
    return [(level, counts.get(level.pk, 0)) for level in levels]


def unit_dashboard(unit, today=None):
    """What a city's or the province's page shows: a row per child unit, the charts, and when
    the stored figures were counted (``figures_at``)."""
    today = today or timezone.localdate()
    now = timezone.now()
    if unit.kind == OrgUnit.Kind.TEAM:
        tree = tree_of(unit)
        queries = dashboard_queries(tree, today)
        read = dict(zip(queries, fetch_together(list(queries.values())), strict=True))
    else:
        # The unit's children, its teams and their figures: one prepared statement.
        tree, read = read_unit(unit, today)
    read = fresh_figures(tree, read, today, now)
    return {
        "unit": unit,
        "rows": child_rows(tree, today, read),
        "grades": unit_grades(tree, read["grades"], read["levels"]),
        "weeks": unit_weeks(tree, today, read["weeks"]),
        "figures_at": figures_counted_at(tree, read["figures"]),
        "today": today,
    }


# --- The monthly report (月度工作报告) ----------------------------------------------------------

REPORT_COLUMNS = [
    ("visits", _("Visits")),
    ("stock_outages", _("Stock outages")),
    ("cases_opened", _("Cases opened")),
    ("cases_closed", _("Cases closed")),
    ("cases_closed_in_sla", _("Closed within SLA")),
    ("assessments_decided", _("Assessments decided")),
]
REPORT_FIGURES = [key for key, _label in REPORT_COLUMNS]


@dataclass
class ReportRow:
    label: str
    unit: OrgUnit | None = None
    manager: AccountManager | None = None
    figures: dict = field(default_factory=lambda: dict.fromkeys(REPORT_FIGURES, 0))

    @property
    def cells(self):
        return [self.figures[key] for key in REPORT_FIGURES]


def monthly_report(unit, month):
    """The month's figures for ``unit``: a row per child unit (for a team, per manager), each
    piece of work counted where it happened; the totals are the sums of the rows."""
    first, last = month_bounds(month)
    start, end = local_midnight(first), local_midnight(last + datetime.timedelta(days=1))
    tree = tree_of(unit)
    team_ids = tree.team_ids
    if unit.kind == OrgUnit.Kind.TEAM:
        # Everyone who was in the team at some point of the month, each with their own row.
        members = list(
            AccountManager.objects.filter(memberships__team=unit, memberships__started__lte=last)
            .filter(Q(memberships__ended__isnull=True) | Q(memberships__ended__gt=first))
            .select_related("user")
            .distinct()
            .order_by("employee_number")
        )
        rows = {m.pk: ReportRow(label=m.display_name, manager=m) for m in members}

        def add(queryset, manager_ref, day, figure, extra=None, total=None):
            counts = (
                with_work_team(queryset, manager_ref, day)
                .filter(work_team=unit.pk)
                .values(manager_ref)
                .annotate(total=Count("pk") if total is None else total, **(extra or {}))
            )
            for row in counts:
                target = rows.get(row[manager_ref])
                if target is not None:
                    target.figures[figure] += row["total"]
                    for key in extra or {}:
                        target.figures[key] += row[key]
    else:
        rows = {child.pk: ReportRow(label=child.name, unit=child) for child in tree.children}

        def add(queryset, manager_ref, day, figure, extra=None, total=None):
            counts = counts_by_team(
                queryset,
                manager_ref=manager_ref,
                day=day,
                team_ids=team_ids,
                extra=extra,
                total=total,
            )
            for team_id, row in counts.items():
                target = rows[tree.row_of_team[team_id]]
                target.figures[figure] += row["total"]
                for key in extra or {}:
                    target.figures[key] += row[key]

    # The month's visits from the visits per manager and day (branches.VisitDay).
    add(
        VisitDay.objects.filter(day__gte=first, day__lte=last),
        "manager_id",
        "day",
        "visits",
        total=Sum("visits"),
    )
    add(
        StockEpisode.objects.filter(
            state=StockEpisode.State.OUT, opened_on__gte=first, opened_on__lte=last
        ),
        "branch__manager_id",
        "opened_on",
        "stock_outages",
    )
    add(
        Case.objects.filter(opened_at__gte=start, opened_at__lt=end),
        "branch__manager_id",
        "opened_at",
        "cases_opened",
    )
    add(
        Case.objects.filter(closed_at__gte=start, closed_at__lt=end),
        "branch__manager_id",
        "closed_at",
        "cases_closed",
        extra={"cases_closed_in_sla": Count("pk", filter=Q(closed_at__lte=F("due_at")))},
    )
    add(
        Assessment.objects.filter(decided_at__gte=start, decided_at__lt=end),
        "manager_id",
        "decided_at",
        "assessments_decided",
    )
    ordered = list(rows.values())
    totals = {figure: sum(row.figures[figure] for row in ordered) for figure in REPORT_FIGURES}
    return {
        "unit": unit,
        "first": first,
        "last": last,
        "rows": ordered,
        "totals": totals,
        "figures": REPORT_FIGURES,
        "columns": [label for _key, label in REPORT_COLUMNS],
        "total_cells": [totals[key] for key in REPORT_FIGURES],
    }
