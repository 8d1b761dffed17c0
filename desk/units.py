"""The organisation's units as pages: a dashboard at every level and the monthly report.

Work is counted for the team its manager belonged to on the day it was done (the dated
``accounts.TeamMembership``), so a manager's move takes no history with them. States of
today (open and overdue cases, items out of stock, levels, this week's checklist) belong to
the manager's current team. Every figure is one aggregate over the whole subtree: a unit's
page costs the same number of queries for a team as for the whole province.
"""

import datetime
from dataclasses import dataclass, field

from django.db import connections
from django.db.models import (
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import TruncDate
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.access import visible_units
from accounts.models import AccountManager, OrgUnit, TeamMembership
from branches.models import VisitDay
from core.batch import fetch_together
from core.dates import local_midnight, month_bounds, week_start
from core.periods import DayWeekNumber, LocalMidnight
from core.prepared import fetch_prepared
from desk.dashboard import WEEKS, AnyOf, first_monday_of, weekly_counts_from
from documents.models import BranchStock
from duties.selectors import weekly_completion_query
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


def team_on_day(manager_ref, day_ref):
    """The team a manager (at ``manager_ref``) was in on a day (at ``day_ref``), as SQL."""
    return Subquery(
        TeamMembership.objects.filter(
            manager_id=OuterRef(manager_ref), started__lte=OuterRef(day_ref)
        )
        .filter(Q(ended__isnull=True) | Q(ended__gt=OuterRef(day_ref)))
        .values("team_id")[:1],
        output_field=IntegerField(),
    )


def with_work_team(queryset, manager_ref, day):
    """``queryset`` annotated with ``work_team``: its manager's team on its day."""
    field_ = queryset.model._meta.get_field(day)
    day_expression = TruncDate(day) if field_.get_internal_type() == "DateTimeField" else F(day)
    return queryset.annotate(work_day=day_expression).annotate(
        work_team=team_on_day(manager_ref, "work_day")
    )


def in_teams(queryset, *, manager_ref, day, team_ids):
    """``queryset`` joined to its manager's membership of one of ``team_ids`` on its day,
    annotated with that team as ``work_team``.

    A join, not ``team_on_day``'s subquery per row: PostgreSQL reads each membership's
    manager's rows of the period through the (manager, date) index instead of running a
    subquery for every row of the period (issue 22: 3 s for the province at scale 1).
    Memberships of a manager never overlap, so a row joins at most one.
    """
    field_ = queryset.model._meta.get_field(day)
    membership = f"{manager_ref.removesuffix('_id')}__memberships"
    started, ended = f"{membership}__started", f"{membership}__ended"
    if field_.get_internal_type() != "DateTimeField":
        from_start = Q(**{f"{started}__lte": F(day)})
        before_end = Q(**{f"{ended}__gt": F(day)})
    elif connections[queryset.db].vendor == "postgresql":
        # The membership's days as instants (two conversions per membership), not each
        # row's time as a local date (two per row): 85 -> 30 ms for a province's 12 weeks.
        from_start = Q(**{f"{day}__gte": LocalMidnight(started)})
        before_end = Q(**{f"{day}__lt": LocalMidnight(ended)})
    else:
        from_start = Q(**{f"{started}__lte": TruncDate(day)})
        before_end = Q(**{f"{ended}__gt": TruncDate(day)})
    return queryset.filter(
        from_start & (Q(**{f"{ended}__isnull": True}) | before_end),
        team_in(f"{membership}__team_id", team_ids),
    ).annotate(work_team=F(f"{membership}__team_id"))


def team_in(ref, team_ids):
    """A filter: ``ref`` is one of ``team_ids``, a list or a subquery of ids (``AnyOf``)."""
    if isinstance(team_ids, QuerySet):
        return AnyOf(ref, team_ids)
    return Q(**{f"{ref}__in": list(team_ids)})


def counts_by_team(queryset, *, manager_ref, day, team_ids, extra=None, total=None):
    """{team id: {"total": n, **extra}} for the rows of ``queryset``, each counted for the team
    its manager was in on its day. ``day`` is a date field, or a datetime field (its local
    date is used); ``total``: what a row adds (default one: ``Count("*")``)."""
    return by_team(
        counts_by_team_query(
            queryset, manager_ref=manager_ref, day=day, team_ids=team_ids, extra=extra, total=total
        )
    )


def counts_by_team_query(queryset, *, manager_ref, day, team_ids, extra=None, total=None):
    return (
        in_teams(queryset, manager_ref=manager_ref, day=day, team_ids=team_ids)
        .values("work_team")
        .annotate(total=Count("*") if total is None else total, **(extra or {}))
    )


def by_team(rows):
    return {row.pop("work_team"): row for row in rows}


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


def _sum_into(rows, tree, counts, attribute, key="total", by="team"):
    for team_id, value in counts.items():
        row_id = tree.row_of_team.get(team_id)
        if row_id is not None:
            current = getattr(rows[row_id], attribute)
            setattr(rows[row_id], attribute, current + (value[key] if key else value))


def dashboard_queries(tree, today, now, weeks=WEEKS):
    """The reads of a city's or the province's page, unevaluated: read together in one
    statement (``core.batch``), none depends on another's result."""
    return unit_queries(tree.team_ids, today, now, weeks)


def unit_queries(team_ids, today, now, weeks=WEEKS):
    """``dashboard_queries`` for the teams ``team_ids``: a list, or a subquery of their ids
    (the prepared read, whose ``now`` is a placeholder: ``core.prepared``)."""
    monday = week_start(today)
    managers = AccountManager.objects.filter(team_in("team_id", team_ids), is_active=True)
    return {
        # Counted per team in SQL, not 200 model instances counted in Python (issue 22).
        "managers": managers.order_by().values("team_id").annotate(total=Count("pk")),
        "visits": visit_days_query(team_ids, monday)
        .values("work_team")
        .annotate(total=Sum("visits")),
        "completion": completion_by_team_query(managers, monday),
        # order_by(): no join for the models' default orderings (BranchStock's went
        # through the branch's to its bank).
        "cases": Case.objects.filter(team_in("branch__manager__team_id", team_ids))
        .open()
        .order_by()
        .values("branch__manager__team_id")
        .annotate(total=Count("pk"), overdue=Count("pk", filter=Q(due_at__lt=now))),
        "outages": BranchStock.objects.filter(
            team_in("branch__manager__team_id", team_ids),
            branch__is_active=True,
            item__is_active=True,
            on_hand__lte=0,
        )
        .order_by()
        .values("branch__manager__team_id")
        .annotate(total=Count("pk")),
        "grades": grades_query(team_ids),
        "levels": Level.objects.order_by("rank"),
        "weeks": weeks_query(team_ids, today, weeks),
    }


def completion_by_team_query(managers, monday):
    """The week's checklist of ``managers`` counted per manager's current team:
    {"manager__team_id", "total", "done"}; 20 rows instead of 200 managers' counts summed."""
    return weekly_completion_query(managers, monday, by="manager__team_id")


_UNIT_READS = (
    *("children", "teams", "managers", "visits", "completion"),
    *("cases", "outages", "grades", "levels", "weeks"),
)


def _unit_reads(v, today):
    """A city's or the province's reads for ``core.prepared``: its children, the teams below
    it (by path, under the unit's own: ``tree_of``'s) and ``unit_queries`` over them."""
    path = Subquery(OrgUnit.objects.filter(pk=v.unit).values("path")[:1])
    teams = OrgUnit.objects.filter(kind=OrgUnit.Kind.TEAM, path__startswith=path)
    reads = {
        "children": OrgUnit.objects.filter(parent_id=v.unit)
        .select_related("head")
        .order_by("path"),
        "teams": teams.order_by("pk").values_list("pk", "path"),
        **unit_queries(teams.values("pk"), today, v.now),
    }
    return [reads[name] for name in _UNIT_READS]


def read_unit(unit, today, now):
    """(Tree, {name: rows}) of a city or the province: one prepared statement."""
    rows = dict(
        zip(
            _UNIT_READS,
            fetch_prepared(
                ("desk.units.dashboard", today),
                lambda v: _unit_reads(v, today),
                unit=unit.pk,
                now=now,
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


def child_rows(tree, today, now, read=None):
    """One row per child unit, every figure summed over the teams below it. ``read``: the
    rows of ``dashboard_queries`` already read."""
    if read is None:
        read = {name: list(query) for name, query in dashboard_queries(tree, today, now).items()}
    rows = {child.pk: UnitRow(unit=child) for child in tree.children}
    for team in read["managers"]:
        rows[tree.row_of_team[team["team_id"]]].managers += team["total"]
    _sum_into(rows, tree, by_team(read["visits"]), "visits_this_week")
    for team in read["completion"]:
        row = rows[tree.row_of_team[team["manager__team_id"]]]
        row.completion_done += team["done"]
        row.completion_total += team["total"]
    for case in read["cases"]:
        row = rows[tree.row_of_team[case["branch__manager__team_id"]]]
        row.open_cases += case["total"]
        row.overdue_cases += case["overdue"]
    for outage in read["outages"]:
        rows[tree.row_of_team[outage["branch__manager__team_id"]]].stock_outages += outage["total"]
    return list(rows.values())


def visit_days_query(team_ids, since):
    """Visits per manager and local day (``branches.VisitDay``) from ``since`` on, joined to the
    membership of one of ``team_ids`` their manager had on that day (``work_team``): a date
    compared with dates, where counting the visits themselves converted each one's time."""
    return in_teams(
        VisitDay.objects.filter(day__gte=since),
        manager_ref="manager_id",
        day="day",
        team_ids=team_ids,
    )


def weeks_query(team_ids, today, weeks=WEEKS):
    """Rows of (week, total) of the teams' visits over the last ``weeks`` local weeks, each
    counted for the team its manager was in on its day (:func:`weekly_counts_from` reads
    them)."""
    first_monday = first_monday_of(today, weeks)
    return (
        visit_days_query(team_ids, first_monday)
        .annotate(week=DayWeekNumber("day", first_monday=first_monday, weeks=weeks))
        .values("week")
        .annotate(total=Sum("visits"))
    )


def unit_weeks_query(tree, today, weeks=WEEKS):
    return weeks_query(tree.team_ids, today, weeks)


def unit_visits_per_week(tree, today, weeks=WEEKS):
    """[(monday, visits)] for the unit, each visit counted where it happened."""
    first_monday = first_monday_of(today, weeks)
    return weekly_counts_from(unit_weeks_query(tree, today, weeks), first_monday, weeks)


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
    """What a city's or the province's page shows: a row per child unit, the charts."""
    today = today or timezone.localdate()
    now = timezone.now()
    if unit.kind == OrgUnit.Kind.TEAM:
        tree = tree_of(unit)
        queries = dashboard_queries(tree, today, now)
        read = dict(zip(queries, fetch_together(list(queries.values())), strict=True))
    else:
        # The unit's children, its teams and their figures: one prepared statement.
        tree, read = read_unit(unit, today, now)
    first_monday = first_monday_of(today)
    return {
        "unit": unit,
        "rows": child_rows(tree, today, now, read),
        "grades": unit_grades(tree, read["grades"], read["levels"]),
        "weeks": weekly_counts_from(read["weeks"], first_monday, WEEKS),
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
