"""What the landing page shows: the manager's day, read from the apps' selectors."""

from django.db.models import Count, Q, Window
from django.utils import timezone

from accounts.access import manager_profile, sees_team
from branches.selectors import attach_branches
from core.batch import fetch_together
from desk.planner import plan_visits
from documents.selectors import flagged_handover_count_query, returned_forms_for_user
from duties import selectors, services
from service.selectors import open_cases_for_user
from worklog.models import WorkLog

PLANNER_ROWS = 8
STOCK_ROWS = 10
CASE_ROWS = 8
CHECKLIST_ROWS = 6
RETURNED_ROWS = 5


def checklist_today(manager, today, branches=None):
    """Today's checklist of one manager: generated on demand (idempotent), with progress.

    ``branches``: branches already read (the planner's); the manager's active ones are used.
    """
    own = None
    if branches is not None:
        own = [(b.pk, b.tier) for b in branches if b.manager_id == manager.pk and b.is_active]
    services.generate_checklist(manager=manager, day=today, branches=own)
    items = selectors.checklist_for(manager, today)
    if branches is None:
        items = list(items)
    else:
        # The card shows each item's task and branch: the task is joined, the branches
        # are the planner's (a branch it does not have, say one since made inactive, is
        # read in one query), not a branch, bank, area and template per item.
        items = attach_branches(
            list(items.select_related(None).select_related("task")),
            {branch.pk: branch for branch in branches},
            "bank",
        )
    done = sum(item.done for item in items)
    return {
        "items": [item for item in items if not item.done][:CHECKLIST_ROWS],
        "open_count": len(items) - done,
        "done": done,
        "total": len(items),
        "percent": round(100 * done / len(items)) if items else 0,
    }


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


def cases_query(user):
    return open_cases_for_user(user).annotate(
        open_total=Window(Count("pk")),
        overdue_total=Window(Count("pk", filter=Q(due_at__lt=timezone.now()))),
    )[:CASE_ROWS]


def home_context(user, today=None):
    from sales.selectors import home_month

    today = today or timezone.localdate()
    profile = manager_profile(user)
    sales = {}

    def progress_of(branches):
        # One read of the policies and targets for the planner's "behind plan" and the
        # manager's month against target and rank in the team.
        progress, sales["month"] = home_month(
            profile,
            [branch.pk for branch in branches],
            today,
            branch_managers={branch.manager_id for branch in branches},
        )
        return progress

    plan = plan_visits(user, today, progress_of if profile is not None else None)
    # The panels that need nothing from the planner, in one statement (core.batch).
    work_log, cases, returned, flagged = fetch_together(
        [
            WorkLog.objects.filter(manager=profile, date=today)[:1]
            if profile is not None
            else WorkLog.objects.none(),
            cases_query(user),
            returned_forms_for_user(user)[:RETURNED_LIMIT],
            flagged_handover_count_query(user),
        ]
    )
    return {
        "today": today,
        "profile": profile,
        "offer_dashboard": sees_team(user),
        "checklist": checklist_today(profile, today, [row.branch for row in plan.rows])
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
        "flagged_handovers": flagged[0][0] if flagged else 0,
    }


RETURNED_LIMIT = 100  # counted up to this many


def intake_todo(user, rows=None):
    """The user's returned forms, the longest waiting first, with their count (one query)."""
    rows = list(returned_forms_for_user(user)[:RETURNED_LIMIT]) if rows is None else rows
    return {"rows": rows[:RETURNED_ROWS], "count": len(rows)}
