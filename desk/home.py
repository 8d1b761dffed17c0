"""What the landing page shows: the manager's day, read from the apps' selectors."""

from django.db.models import Count, Q, Window
from django.utils import timezone

from accounts.access import Viewer, heads_above_team, is_supervisor, manager_profile, sees_team
from branches.selectors import attach_branches
from core.batch import count_of, fetch_together
from core.prepared import fetch_prepared
from desk.planner import PlannerReads, plan_visits, reads_queries
from documents.selectors import (
    attention_for_user_query,
    flagged_handover_count_query,
    returned_forms_for_user,
    unconfirmed_before,
)
from duties import selectors, services
from grading.selectors import awaiting_review_count_query
from service.selectors import open_cases_for_user
from worklog.models import WorkLog

PLANNER_ROWS = 8
STOCK_ROWS = 10
CASE_ROWS = 8
CHECKLIST_ROWS = 6
RETURNED_ROWS = 5


def checklist_today(manager, today, branches=None, read=None):
    """Today's checklist of one manager: generated on demand (idempotent), with progress.

    ``branches``: branches already read (the planner's); the manager's active ones are used.
    ``read``: the rows of :func:`checklist_queries` read already (with ``branches``).
    """
    own = None
    if branches is not None:
        own = [(b.pk, b.tier) for b in branches if b.manager_id == manager.pk and b.is_active]
    created = services.generate_checklist(
        manager=manager, day=today, branches=own, read=None if read is None else read[:2]
    )
    if branches is None:
        items = list(selectors.checklist_for(manager, today))
    elif read is not None and not created:
        # The card shows the first open items and counts the rest: the open items read
        # with their task (the page's statement), every item only as its done flag (a
        # manager's fifty items were a hundred models a page, for six shown).
        open_items, flags = read[2], read[3]
        open_items = attach_branches(open_items, {branch.pk: branch for branch in branches}, "bank")
        return _checklist_card(open_items, len(flags), sum(flags))
    else:
        # The card shows each item's task and branch: the task is joined, the branches
        # are the planner's (a branch it does not have, say one since made inactive, is
        # read in one query), not a branch, bank, area and template per item. Items are read
        # again when the generation has just added some.
        items = list(_checklist_items(manager.pk, today))
        items = attach_branches(items, {branch.pk: branch for branch in branches}, "bank")
    done = sum(item.done for item in items)
    return _checklist_card(
        [item for item in items if not item.done][:CHECKLIST_ROWS], len(items), done
    )


def _checklist_card(open_items, total, done):
    return {
        "items": open_items,
        "open_count": total - done,
        "done": done,
        "total": total,
        "percent": round(100 * done / total) if total else 0,
    }


def _checklist_items(manager_id, today):
    return selectors.checklist_for(manager_id, today).select_related(None).select_related("task")


def checklist_queries(manager_id, today):
    """The checklist card's reads, unevaluated: the generation's (templates, existing
    items), the day's first open items and every item's done flag; ``manager_id`` may be a
    core.prepared placeholder."""
    items = _checklist_items(manager_id, today)
    return [
        *services.checklist_queries(manager_id, today),
        items.filter(done=False)[:CHECKLIST_ROWS],
        items.select_related(None).order_by().values_list("done", flat=True),
    ]


def cases_summary(user, rows=None):
    """The open cases in the user's scope, the most urgent first, with counts.

    One query: the counts are window aggregates over every open case in scope, carried on
    each of the first rows. ``rows``: ``cases_query(user)`` already read.
    """
    rows = list(cases_query(user)) if rows is None else rows
    return {
        "rows": rows,
        "open": rows[0].open_total if rows else 0,
        "overdue": rows[0].overdue_total if rows else 0,
    }


# What the home shows of a case and of a returned form (templates/home/_details.html,
# _intake_todo.html). The home reads its lists in one statement whose rows are as wide as
# its widest part: the cases with their branch, bank, manager and user were 70 columns, and
# every one of the supervisor home's 600 rows carried 87 (issue 22).
CASE_FIELDS = (
    "customer_name",
    "kind",
    "status",
    "due_at",
    "branch__name",
    "branch__bank__name",
    "branch__bank__short_name",
)
RETURNED_FIELDS = ("serial_form__number", "batch__branch__name")


def cases_query(user, now=None):
    """``now``: the overdue cut, a moment or a core.prepared placeholder (default: now)."""
    now = timezone.now() if now is None else now
    cases = open_cases_for_user(user).select_related(None).select_related("branch__bank")
    return cases.only(*CASE_FIELDS).annotate(
        open_total=Window(Count("pk")),
        overdue_total=Window(Count("pk", filter=Q(due_at__lt=now))),
    )[:CASE_ROWS]


# How the planner's "behind plan" and the month's figures are read with the home's reads.
OWN_MONTH = "own month"  # a manager's own home: sales.selectors.own_home_month_queries
TEAM_PROGRESS = "team progress"  # a supervisor's: their team's branches, on their id


def _shape(user, profile):
    """What shapes the home's reads besides the ids: the key of its prepared read, or None
    for a user whose scope is a list (a city or province head): their reads stay as they were."""
    if heads_above_team(user) and not user.is_superuser:
        return None
    supervisor = is_supervisor(user)
    progress = None
    if not user.is_superuser:
        if profile is not None and not supervisor:
            progress = OWN_MONTH
        elif profile is None and supervisor:
            progress = TEAM_PROGRESS
    return (
        user.is_superuser,
        supervisor,
        profile is not None,
        profile is not None and profile.supervisor_id is not None,
        progress,
    )


def _home_reads(shape, today):
    """build(v) of the home's reads: the planner's (branches, birthdays, follow-ups, stock), the
    work log, cases, returned forms, flagged handovers and, with ``progress``, the sales
    and targets of "behind plan" and the month (see :func:`_shape`)."""
    from sales.selectors import MONTH, branch_progress_queries_where, own_home_month_queries
    from sales.selectors import window as sales_window

    superuser, supervisor, has_profile, has_supervisor, progress = shape

    def build(v):
        viewer = Viewer(
            v.user, v.profile if has_profile else None, superuser=superuser, supervisor=supervisor
        )
        parts = [
            *reads_queries(viewer, today, v.now),
            attention_for_user_query(viewer, today),
            cases_query(viewer, v.now),
            returned_query(viewer),
            flagged_handover_count_query(viewer, before=v.flagged_before),
        ]
        if superuser or supervisor:  # accounts.access.sees_team: the reviews' notice
            parts.append(awaiting_review_count_query(viewer, today))
        if has_profile:
            parts.append(WorkLog.objects.filter(manager_id=v.profile, date=today)[:1])
            parts += checklist_queries(v.profile, today)
        if progress == OWN_MONTH:
            # [peers (with a supervisor),] sales, targets
            parts += [
                query
                for query in own_home_month_queries(
                    v.profile, v.supervisor if has_supervisor else None, today
                )
                if query is not None
            ]
        elif progress == TEAM_PROGRESS:
            parts += branch_progress_queries_where(
                "branch__manager__supervisor_id", v.user, [sales_window(MONTH, today)]
            )
        return parts

    return build


def home_reads(user, profile, today, now):
    """The home's reads (:func:`_home_reads`) for ``user``: one prepared statement
    (core.prepared), or for a head of a city or the province one ordinary one."""
    shape = _shape(user, profile)
    values = {"user": user.pk, "now": now, "flagged_before": unconfirmed_before(now)}
    if profile is not None:
        values["profile"] = profile.pk
        if profile.supervisor_id is not None:
            values["supervisor"] = profile.supervisor_id
    if shape is None:
        return None, fetch_together(
            [
                *reads_queries(user, today, now),
                attention_for_user_query(user, today),
                cases_query(user, now),
                returned_query(user),
                flagged_handover_count_query(user, before=values["flagged_before"]),
                *([awaiting_review_count_query(user, today)] if sees_team(user) else []),
                *(
                    [
                        WorkLog.objects.filter(manager=profile, date=today)[:1],
                        *checklist_queries(profile.pk, today),
                    ]
                    if profile is not None
                    else []
                ),
            ]
        )
    return shape, fetch_prepared(("desk.home", shape, today), _home_reads(shape, today), **values)


def home_context(user, today=None):
    from sales.selectors import (
        MONTH,
        branch_progress_from_rows,
        home_month,
        own_home_month_from,
    )
    from sales.selectors import window as sales_window

    today = today or timezone.localdate()
    profile = manager_profile(user)
    shape, results = home_reads(user, profile, today, timezone.now())
    branch_rows, staff, follow_ups, stock, cases, returned, flagged, *rest = results
    team = sees_team(user)
    pending_reviews = None  # not read: not shown (offer_dashboard)
    if team:
        awaiting, *rest = rest
        pending_reviews = count_of(awaiting)
    work_log, checklist_read = [], None
    if profile is not None:
        work_log, checklist_read = rest[0], rest[1:5]
        rest = rest[5:]
    progress_rows = rest
    progress = None if shape is None else shape[-1]
    sales = {}

    def progress_of(branches):
        # One read of the policies and targets for the planner's "behind plan" and the
        # manager's month against target and rank in the team.
        ids = [branch.pk for branch in branches]
        if progress == OWN_MONTH:
            peers = progress_rows.pop(0) if profile.supervisor_id is not None else None
            result, sales["month"] = own_home_month_from(profile, ids, today, peers, *progress_rows)
            return result
        if progress == TEAM_PROGRESS:
            return branch_progress_from_rows(ids, [sales_window(MONTH, today)], *progress_rows)
        result, sales["month"] = home_month(
            profile, ids, today, branch_managers={branch.manager_id for branch in branches}
        )
        return result

    plan = plan_visits(
        user,
        today,
        progress_of if profile is not None or progress is not None else None,
        reads=PlannerReads(branch_rows, staff, follow_ups, stock=stock),
    )
    return {
        "today": today,
        "profile": profile,
        "offer_dashboard": team,
        "pending_reviews": pending_reviews,
        "checklist": checklist_today(
            profile, today, [row.branch for row in plan.rows], checklist_read
        )
        if profile is not None
        else None,
        "work_log": work_log[0] if work_log else None,
        "sales": sales.get("month"),
        "planner": plan.rows[:PLANNER_ROWS],
        "planner_more": max(len(plan.rows) - PLANNER_ROWS, 0),
        "branch_count": len(plan.rows),
        "overdue_count": plan.overdue_count,
        "birthdays": plan.birthdays,
        "follow_ups": plan.follow_ups,
        "stock": plan.stock[:STOCK_ROWS],
        "stock_more": max(len(plan.stock) - STOCK_ROWS, 0),
        "cases": cases_summary(user, cases),
        # To do: forms the review sent back, to collect again once the branch corrected them;
        # handovers the archive has not confirmed in time.
        "returned_forms": intake_todo(user, returned),
        "flagged_handovers": count_of(flagged),
    }


RETURNED_LIMIT = 100  # counted up to this many


def returned_query(user):
    """The user's returned forms as the home shows them, up to RETURNED_LIMIT."""
    forms = returned_forms_for_user(user).select_related(None)
    return forms.select_related("serial_form", "batch__branch").only(*RETURNED_FIELDS)[
        :RETURNED_LIMIT
    ]


def intake_todo(user, rows=None):
    """The user's returned forms, the longest waiting first, with their count (one query)."""
    rows = list(returned_query(user)) if rows is None else rows
    return {"rows": rows[:RETURNED_ROWS], "count": len(rows)}
