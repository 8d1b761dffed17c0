"""The supervisor's view of the team: one row per manager, the grade ladder, visits per week.

Every figure is one aggregate over the whole team, so the page costs the same number of
queries for a team of three as for a team of thirty.
"""

import datetime
from dataclasses import dataclass

from django.db.models import BooleanField, Count, F, Func, Q, Subquery, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.access import role_shape, role_values, scoped, sees_team, viewer_of
from accounts.models import AccountManager
from branches.models import Bank, Branch, Visit, VisitDay
from branches.selectors import is_overdue_for_visit, overdue_events_for_user, overdue_for_visit
from core.batch import count_of, fetch_together
from core.dates import local_midnight, week_start
from core.names import NAME_FIELDS
from core.periods import DayWeekNumber, WeekNumber
from core.prepared import fetch_prepared
from documents.models import BranchStock
from documents.selectors import flagged_handover_count_query, unconfirmed_before
from duties.selectors import weekly_completion_from, weekly_completion_query
from grading.models import Level
from grading.selectors import awaiting_review_count_query, level_of
from service.models import Case

WEEKS = 12

# ?sort= keys and the row attribute each one orders by.
SORT_KEYS = {
    "name": "name_key",
    "visits": "visits_this_week",
    "completion": "completion_percent",
    "overdue_branches": "overdue_branches",
    "open_cases": "open_cases",
    "overdue_cases": "overdue_cases",
    "outages": "stock_outages",
    "level": "level_rank",
    "achievement": "achievement_key",
}
COLUMNS = [
    ("name", _("Account manager")),
    ("visits", _("Visits this week")),
    ("completion", _("Checklist done this week")),
    ("overdue_branches", _("Branches overdue for a visit")),
    ("open_cases", _("Open cases")),
    ("overdue_cases", _("Overdue cases")),
    ("outages", _("Items out of stock")),
    ("level", _("Current level")),
    ("achievement", _("Premium against target this month")),
]
BEHIND_ROWS = 5
EVENT_ROWS = 10


def may_see_dashboard(user):
    return sees_team(user)


def team_for(user):
    """The active managers the user supervises (a superuser: everyone), with their level.

    Anyone else gets 404: the dashboard is the supervisor's page.
    """
    if not may_see_dashboard(user):
        raise Http404
    queryset = AccountManager.objects.filter(is_active=True).select_related(
        "user", "current_level__level"
    )
    if not user.is_superuser:
        queryset = queryset.filter(supervisor=user)
    return scoped(queryset, user, "").order_by("employee_number")


def parse_sort(value):
    """("key", descending) from ?sort=key or ?sort=-key; an unknown key is a 404."""
    value = value or "name"
    key = value.removeprefix("-")
    if key not in SORT_KEYS:
        raise Http404
    return key, value.startswith("-")


@dataclass
class ManagerRow:
    manager: AccountManager
    visits_this_week: int = 0
    completion_done: int = 0
    completion_total: int = 0
    overdue_branches: int = 0
    open_cases: int = 0
    overdue_cases: int = 0
    stock_outages: int = 0
    sales: object = None  # sales.selectors.Progress for this month

    @property
    def achievement_key(self):
        from sales.selectors import rank_key

        return rank_key(self.sales)

    @property
    def name_key(self):
        return self.manager.display_name

    @property
    def completion_percent(self):
        if not self.completion_total:
            return 0
        return round(100 * self.completion_done / self.completion_total)

    @property
    def level_rank(self):
        return level_of(self.manager).rank


def _counts(rows, key="manager_id", value="total"):
    return {row[key]: row[value] for row in rows}


def _overdue_branch_counts(ids, today, where=None):
    """Active branches due a visit (the planner's rule: never visited, or past the interval)."""
    return (
        Branch.objects.filter(Q(manager_id__in=ids) if where is None else where, is_active=True)
        .values("manager_id")
        .annotate(total=Count("pk", filter=overdue_for_visit(today)))
    )


def _case_counts(ids, now, where=None):
    return (
        Case.objects.filter(Q(branch__manager_id__in=ids) if where is None else where)
        .open()
        .values("branch__manager_id")
        .annotate(total=Count("pk"), overdue=Count("pk", filter=Q(due_at__lt=now)))
    )


def _outage_counts(ids, today, where=None):
    """Items out of stock per manager, counted in SQL.

    "Out" needs no usage history (documents.selectors.assess: nothing on hand), so the
    database counts it directly instead of assessing a team's thousands of branch items.
    """
    return (
        BranchStock.objects.filter(
            Q(branch__manager_id__in=ids) if where is None else where,
            branch__is_active=True,
            item__is_active=True,
            on_hand__lte=0,
        )
        .values("branch__manager_id")
        .annotate(total=Count("pk"))
    )


def first_monday_of(today, weeks=WEEKS):
    """The Monday that starts the last ``weeks`` local weeks up to ``today``'s."""
    return week_start(today) - datetime.timedelta(weeks=weeks - 1)


def visits_per_week(visit_days, first_monday, weeks, *by):
    """``VisitDay`` rows (a queryset of days from ``first_monday`` on) summed per ``by`` and
    week: ``week`` 1 for the first of the ``weeks`` weeks (core.periods.DayWeekNumber),
    ``total`` its visits. The dashboard's, the unit pages' and the stored team figures'
    weekly visits."""
    return (
        visit_days.annotate(week=DayWeekNumber("day", first_monday=first_monday, weeks=weeks))
        .values(*by, "week")
        .annotate(total=Sum("visits"))
    )


def weekly_visits_query(ids, today, weeks=WEEKS, where=None):
    """Visits per manager and local week over the last ``weeks`` weeks, one grouped read (the
    dashboard's "visits this week" column and its weekly chart both use it; its rows give
    :func:`weekly_visits_from`); ``where``: the filter choosing the managers instead of ids."""
    # From the visits per manager and day (branches.models.VisitDay, kept in step with every
    # visit): a team's twelve weeks are at most 840 rows of (manager, day), where the visits
    # themselves were 3,200 at scale 5, each placed in its local week.
    first_monday = first_monday_of(today, weeks)
    visit_days = VisitDay.objects.filter(
        Q(manager_id__in=ids) if where is None else where, day__gte=first_monday
    )
    return visits_per_week(visit_days, first_monday, weeks, "manager_id")


def weekly_visits_from(rows, today, weeks=WEEKS):
    first_monday = first_monday_of(today, weeks)
    counts = {}
    for row in rows:
        monday = _monday(row["week"], first_monday, weeks)
        if monday is not None:
            counts[(row["manager_id"], monday)] = row["total"]
    return counts


def _monday(number, first_monday, weeks):
    """The monday of week ``number`` (``core.periods.WeekNumber``), None outside the weeks."""
    if 1 <= number <= weeks:
        return first_monday + datetime.timedelta(weeks=number - 1)
    return None


def manager_row_queries(managers, today, now, *, weekly=None, branches=None, sales=None):
    """The reads ``manager_rows`` needs beyond what its caller passes, unevaluated: a caller
    reads them with its own in one statement (``core.batch``) and passes them as ``read``."""
    from sales.selectors import MONTH, manager_progress_queries, window

    ids = [manager.pk for manager in managers]
    monday = week_start(today)
    queries = {
        "completion": weekly_completion_query(ids, monday),
        "cases": _case_counts(ids, now),
        "outages": _outage_counts(ids, today),
    }
    if weekly is None:
        queries["visits"] = (
            Visit.objects.filter(manager_id__in=ids, visited_at__gte=local_midnight(monday))
            .values("manager_id")
            .annotate(total=Count("*"))
        )
    if branches is None:
        queries["overdue"] = _overdue_branch_counts(ids, today)
    if sales is None:
        progress = manager_progress_queries(ids, [window(MONTH, today)])
        queries["sales"], queries["targets"] = progress or (Visit.objects.none(),) * 2
    return queries


def read_together(queries):
    """{name: rows} for {name: queryset}, in one statement."""
    return dict(zip(queries, fetch_together(list(queries.values())), strict=True))


def manager_rows(managers, today, now, *, weekly=None, branches=None, sales=None, read=None):
    """A ManagerRow per manager. The team dashboard passes what it has read already:
    ``weekly`` (:func:`weekly_visits_from`), ``branches`` (every active branch of the managers)
    and ``sales`` ({(manager id, kind): Progress} of this month); ``read``: the rows of
    :func:`manager_row_queries` (read here, in one statement, when not given)."""
    from sales.selectors import MONTH, manager_progress_from, window

    ids = [manager.pk for manager in managers]
    monday = week_start(today)
    if read is None:
        read = read_together(
            manager_row_queries(managers, today, now, weekly=weekly, branches=branches, sales=sales)
        )
    if weekly is None:
        visits = _counts(read["visits"])
    else:
        visits = {}
        for (manager_id, week), total in weekly.items():
            if week >= monday:
                visits[manager_id] = visits.get(manager_id, 0) + total
    completion = weekly_completion_from(managers, read["completion"])
    if branches is None:
        overdue = _counts(read["overdue"])
    else:
        overdue = {}
        for branch in branches:
            if is_overdue_for_visit(branch, today):
                overdue[branch.manager_id] = overdue.get(branch.manager_id, 0) + 1
    cases = {row["branch__manager_id"]: (row["total"], row["overdue"]) for row in read["cases"]}
    outages = {row["branch__manager_id"]: row["total"] for row in read["outages"]}
    month = window(MONTH, today)
    if sales is None:
        sales = manager_progress_from(ids, [month], read["sales"], read["targets"])
    rows = []
    for manager in managers:
        done = completion[manager.pk]
        open_count, overdue_count = cases.get(manager.pk, (0, 0))
        rows.append(
            ManagerRow(
                manager=manager,
                visits_this_week=visits.get(manager.pk, 0),
                completion_done=done.done,
                completion_total=done.total,
                overdue_branches=overdue.get(manager.pk, 0),
                open_cases=open_count,
                overdue_cases=overdue_count,
                stock_outages=outages.get(manager.pk, 0),
                sales=sales[(manager.pk, month.kind)],
            )
        )
    return rows


def sort_rows(rows, key, descending):
    attribute = SORT_KEYS[key]
    # Ties keep the employee-number order whichever way the column is sorted.
    ordered = sorted(rows, key=lambda row: row.manager.employee_number)
    return sorted(ordered, key=lambda row: getattr(row, attribute), reverse=descending)


def grade_distribution(managers, levels=None):
    """[(Level, count)] for the ten levels, lowest first (zeros included). ``levels``: the
    levels in rank order, already read."""
    counts = {}
    for manager in managers:
        level_id = level_of(manager).pk
        counts[level_id] = counts.get(level_id, 0) + 1
    if levels is None:
        levels = Level.objects.order_by("rank")
    return [(level, counts.get(level.pk, 0)) for level in levels]


def _chart(weekly, today, weeks=WEEKS):
    """[(monday, visits)] of the team from :func:`weekly_visits_from`, zeros included."""
    first_monday = first_monday_of(today, weeks)
    totals = {}
    for (_manager_id, monday), total in weekly.items():
        totals[monday] = totals.get(monday, 0) + total
    return _by_week(totals, first_monday, weeks)


def _by_week(counts, first_monday, weeks):
    """[(monday, count)] for ``weeks`` weeks from ``first_monday``, zeros included."""
    return [
        (monday, counts.get(monday, 0))
        for monday in (first_monday + datetime.timedelta(weeks=n) for n in range(weeks))
    ]


def weekly_counts(visits, first_monday, weeks):
    """[(monday, count)] of ``visits`` per local week from ``first_monday``, zeros included.

    One aggregate.
    """
    return weekly_counts_from(weekly_counts_query(visits, first_monday, weeks), first_monday, weeks)


def weekly_counts_query(visits, first_monday, weeks):
    week = WeekNumber("visited_at", first_monday=first_monday, weeks=weeks)
    return visits.annotate(week=week).values("week").annotate(total=Count("*"))


def weekly_counts_from(rows, first_monday, weeks):
    counts = {}
    for row in rows:
        monday = _monday(row["week"], first_monday, weeks)
        if monday is not None:
            counts[monday] = row["total"]
    return _by_week(counts, first_monday, weeks)


@dataclass(frozen=True)
class BranchFacts:
    """What the dashboard needs of each of a team's hundreds of branches: no model
    instances with their bank and manager for rows of which five are shown."""

    pk: int
    manager_id: int
    is_active: bool
    tier: str
    last_visit_at: datetime.datetime | None


def branch_facts(manager_ids):
    """[BranchFacts] of every branch (inactive ones too) of the managers, by pk."""
    return [BranchFacts(*row) for row in branch_facts_query(manager_ids)]


def branch_facts_query(manager_ids, where=None, *, names=False):
    """``branch_facts``' read (rows of values); ``where``: the filter instead of ids;
    ``names``: each row followed by the branch's name and bank id (what the dashboard shows
    of the few branches behind plan: :class:`ShownBranch`)."""
    names = ("name", "bank_id") if names else ()
    return (
        Branch.objects.filter(Q(manager_id__in=manager_ids) if where is None else where)
        .order_by("pk")
        .values_list("pk", "manager_id", "is_active", "tier", "last_visit_at", *names)
    )


@dataclass(frozen=True)
class ShownBranch:
    """A branch behind plan as the dashboard lists it: made from rows the page has read
    already (the team's branches with their names, the banks, the managers) instead of a
    query for the five Branch objects, their banks and managers."""

    pk: int
    name: str
    bank: Bank
    manager: AccountManager


def branches_behind(
    managers, today, limit=BEHIND_ROWS, *, branches=None, progress=None, shown=None
):
    """The team's active branches furthest behind this month's target (largest gap first):
    [(Branch, Progress)]. ``branches``: the active ones already read (Branch or
    BranchFacts); only the rows shown are read as Branch (with bank and manager), or made
    by ``shown`` ({pk: ShownBranch} of a list of pks) from rows read already."""
    from sales.selectors import MONTH, branch_progress, window

    month = window(MONTH, today)
    if branches is None:
        branches = [facts for facts in branch_facts([m.pk for m in managers]) if facts.is_active]
    if progress is None:
        progress = branch_progress([branch.pk for branch in branches], [month])
    rows = [(branch, progress[(branch.pk, month.kind)]) for branch in branches]
    rows = [row for row in rows if row[1].gap > 0]
    rows.sort(key=lambda row: (-row[1].gap, row[0].pk))
    rows = rows[:limit]
    if not rows:
        return []
    pks = [branch.pk for branch, _progress in rows]
    if shown is None:
        found = Branch.objects.select_related("bank", "manager__user").in_bulk(pks)
    else:
        found = shown(pks)
    return [(found[branch.pk], figures) for branch, figures in rows]


def team_months(managers, sales, months, chosen=None):
    """[(first day of month, Progress)] for the chart: the team summed, or one manager's."""
    from sales.selectors import Progress

    ids = [chosen.pk] if chosen is not None else [manager.pk for manager in managers]
    result = []
    for w in months:
        total = Progress()
        for pk in ids:
            total = total + sales[(pk, w.kind)]
        result.append((w.start, total))
    return result


class AnyOf(Func):
    """``column = ANY(ARRAY(subquery))`` on PostgreSQL (elsewhere ``column IN (subquery)``):
    the subquery of a team's ids is run once, as an init plan, and the rows are then found
    through ``column``'s index exactly as for a literal list of ids. ``column IN (subquery)``
    is planned as a join instead, which scanned every branch (EXPLAIN on the bench DB:
    0.2 -> 1.4 ms a read, +25 ms for the dashboard's statement)."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, column, queryset):
        super().__init__(F(column), Subquery(queryset.order_by()))

    def as_sql(self, compiler, connection, **extra):
        lhs, lhs_params = compiler.compile(self.source_expressions[0])
        rhs, rhs_params = compiler.compile(self.source_expressions[1])
        template = "%s = ANY(ARRAY%s)" if connection.vendor == "postgresql" else "%s IN %s"
        return template % (lhs, rhs), (*lhs_params, *rhs_params)


# What the dashboard uses of a manager (their rows, the grade chart, the branches behind
# plan): the name, the employee number, the level. The team's statement is as wide as its
# widest part, and the managers with every column of manager, user and level were 30 of
# its 52 (each of a thousand rows).
MANAGER_FIELDS = (
    "employee_number",
    *(f"user__{name}" for name in NAME_FIELDS),
    "current_level__level",
)


def _team_reads(v, today, everyone):
    """The dashboard's reads that depend on the team only, for ``core.prepared``: the team
    is a subquery on the supervisor (``v.supervisor``), exactly :func:`team_for`'s managers
    (its scoping adds nothing to "supervised by the user"); ``everyone``: a superuser's."""
    from sales.selectors import MONTH, branch_and_manager_progress_queries, month_windows, window

    team = AccountManager.objects.filter(is_active=True)
    if not everyone:
        team = team.filter(supervisor_id=v.supervisor)
    ids = team.values("pk")
    month = window(MONTH, today)
    sales, monthly, this_month, targets, target_sums = branch_and_manager_progress_queries(
        AnyOf("branch__manager_id", ids),
        [month, *month_windows(today)],
        branch_windows=[month],
    )
    return {
        "managers": team.select_related("user", "current_level__level")
        .only(*MANAGER_FIELDS)
        .order_by("employee_number"),
        "weekly": weekly_visits_query(ids, today, where=AnyOf("manager_id", ids)),
        "branches": branch_facts_query(ids, where=AnyOf("manager_id", ids), names=True),
        "banks": Bank.objects.all(),
        "sales": sales,
        "monthly": monthly,
        "this_month": this_month,
        "targets": targets,
        "target_sums": target_sums,
        "completion": weekly_completion_query(ids, week_start(today)),
        # Counted in SQL (branches.selectors.overdue_for_visit, the day is in the key), not
        # with is_overdue_for_visit over the team's hundreds of branches in Python.
        "overdue": _overdue_branch_counts(ids, today, where=AnyOf("manager_id", ids)),
        "cases": _case_counts(ids, v.now, where=AnyOf("branch__manager_id", ids)),
        "outages": _outage_counts(ids, today, where=AnyOf("branch__manager_id", ids)),
        "levels": Level.objects.order_by("rank"),
    }


def _scoped_reads(shape, today):
    """build(v) of the reads scoped by the user's role (the overdue events, the flagged
    handovers, the assessments awaiting review) on a stand-in of the user
    (accounts.access.Viewer), for ``core.prepared``."""

    def build(v):
        viewer = viewer_of(shape, v)
        return [
            overdue_events_for_user(viewer, v.now, limit=EVENT_ROWS),
            flagged_handover_count_query(viewer, before=v.flagged_before),
            awaiting_review_count_query(viewer, today),
        ]

    return build


_TEAM_READS = (
    *("managers", "weekly", "branches", "banks", "sales", "monthly", "this_month"),
    *("targets", "target_sums", "completion", "overdue", "cases", "outages", "levels"),
)


def read_team(user, today, now):
    """{name: rows} of ``_team_reads`` for the user's team: one prepared statement."""
    if not may_see_dashboard(user):
        raise Http404
    everyone = user.is_superuser
    rows = fetch_prepared(
        ("desk.dashboard.team", today, everyone),
        lambda v: [_team_reads(v, today, everyone)[name] for name in _TEAM_READS],
        supervisor=user.pk,
        now=now,
    )
    return dict(zip(_TEAM_READS, rows, strict=True))


def read_scoped(user, now, today):
    """[overdue events, flagged handover rows, awaiting review rows] in the user's scope (the
    counts' rows for ``core.batch.count_of``): one prepared statement of its own. Apart from
    the team's: their plans differ with the moment (``now``), so PostgreSQL planned the
    team's statement anew on every request once they were in it (5.8 ms), where alone it
    keeps one generic plan. A head of a city or province (scoped by a list of teams): one
    ordinary statement."""
    shape = role_shape(user)
    if shape is None:
        return fetch_together(
            [
                overdue_events_for_user(user, now, limit=EVENT_ROWS),
                flagged_handover_count_query(user, now),
                awaiting_review_count_query(user, today),
            ]
        )
    values = {**role_values(user, shape), "now": now, "flagged_before": unconfirmed_before(now)}
    return fetch_prepared(
        ("desk.dashboard.scoped", shape, today), _scoped_reads(shape, today), **values
    )


def _shown_branches(branch_rows, banks, managers):
    """shown(pks) for :func:`branches_behind`: {pk: ShownBranch} from the dashboard's rows
    of the team's branches (with names), its banks and managers."""

    def shown(pks):
        wanted = set(pks)
        bank_of = {bank.pk: bank for bank in banks}
        manager_of = {manager.pk: manager for manager in managers}
        return {
            pk: ShownBranch(pk, name, bank_of[bank_id], manager_of[manager_id])
            for pk, manager_id, _active, _tier, _visit, name, bank_id in branch_rows
            if pk in wanted
        }

    return shown


def team_dashboard(user, sort=None, today=None, chart=None):
    """All the dashboard shows, for the user's team; 404 for a bad sort or a non-supervisor.

    The team's branches (every one, for the managers' sales; the active ones for "overdue"
    and "behind plan"), its visits per manager and week, and its sales (this month's column
    and the chart's twelve months) are each read once, all in one prepared statement
    (``core.prepared``). ``chart`` is a manager's pk (text) whose months the chart shows
    instead of the team's.
    """
    from sales.selectors import MONTH, Progress, branch_and_manager_progress_from, month_windows
    from sales.selectors import window as sales_window

    key, descending = parse_sort(sort)
    today = today or timezone.localdate()
    now = timezone.now()
    read = read_team(user, today, now)
    managers = read["managers"]
    ids = [manager.pk for manager in managers]
    weekly = weekly_visits_from(read["weekly"], today)
    every_branch = [BranchFacts(*row[:5]) for row in read["branches"]]
    branches = [branch for branch in every_branch if branch.is_active]
    month = sales_window(MONTH, today)
    months = month_windows(today)
    by_branch, by_manager = branch_and_manager_progress_from(
        {branch.pk: branch.manager_id for branch in every_branch},
        [month, *months],
        [read[name] for name in ("sales", "monthly", "this_month", "targets", "target_sums")],
        branch_windows=[month],  # only "behind plan" reads a branch's own figures
    )
    for pk in ids:  # a manager without a branch: nothing sold, no target
        for w in (month, *months):
            by_manager.setdefault((pk, w.kind), Progress())
    chosen = next((m for m in managers if str(m.pk) == chart), None)
    overdue_events, flagged, awaiting = read_scoped(user, now, today)
    rows = manager_rows(managers, today, now, weekly=weekly, sales=by_manager, read=read)
    return {
        "months": team_months(managers, by_manager, months, chosen),
        "chart_manager": chosen,
        "rows": sort_rows(rows, key, descending),
        "sort": key,
        "descending": descending,
        "grades": grade_distribution(managers, read["levels"]),
        "weeks": _chart(weekly, today),
        "behind": branches_behind(
            managers,
            today,
            branches=branches,
            progress=by_branch,
            shown=_shown_branches(read["branches"], read["banks"], managers),
        ),
        # Abnormal events past their response time, escalated or about to be.
        "overdue_events": overdue_events,
        "flagged_handovers": count_of(flagged),
        "pending_reviews": count_of(awaiting),
        "today": today,
    }
