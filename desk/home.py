"""What the landing page shows: the manager's day, read from the apps' selectors."""

from django.db.models import Count
from django.utils import timezone

from accounts.access import manager_profile, sees_team
from desk.planner import plan_visits
from documents.selectors import flagged_handover_count, returned_forms_for_user
from duties import selectors, services
from service.models import Case, open_case_q, overdue_case_q
from service.selectors import open_cases_for_user
from worklog.selectors import log_of

PLANNER_ROWS = 8
STOCK_ROWS = 10
CASE_ROWS = 8
CHECKLIST_ROWS = 6
RETURNED_ROWS = 5


def checklist_today(manager, today):
    """Today's checklist of one manager: generated on demand (idempotent), with progress."""
    services.generate_checklist(manager=manager, day=today)
    items = list(selectors.checklist_for(manager, today))
    done = sum(item.done for item in items)
    return {
        "items": [item for item in items if not item.done][:CHECKLIST_ROWS],
        "open_count": len(items) - done,
        "done": done,
        "total": len(items),
        "percent": round(100 * done / len(items)) if items else 0,
    }


def cases_summary(user):
    """The open cases in the user's scope, the most urgent first, with counts."""
    counts = Case.objects.for_user(user).aggregate(
        open=Count("pk", filter=open_case_q()),
        overdue=Count("pk", filter=overdue_case_q()),
    )
    return {"rows": list(open_cases_for_user(user)[:CASE_ROWS]), **counts}


def sales_month(profile, today):
    """The manager's month to date against target and rank in the team (three queries)."""
    from sales.selectors import manager_month

    return manager_month(profile, today)


def home_context(user, today=None):
    today = today or timezone.localdate()
    profile = manager_profile(user)
    plan = plan_visits(user, today)
    return {
        "today": today,
        "profile": profile,
        "offer_dashboard": sees_team(user),
        "checklist": checklist_today(profile, today) if profile is not None else None,
        "work_log": log_of(profile, today) if profile is not None else None,
        "sales": sales_month(profile, today) if profile is not None else None,
        "planner": plan.rows[:PLANNER_ROWS],
        "planner_more": max(len(plan.rows) - PLANNER_ROWS, 0),
        "branch_count": len(plan.rows),
        "overdue_count": plan.overdue_count,
        "birthdays": plan.birthdays,
        "follow_ups": plan.follow_ups,
        "stock": plan.stock[:STOCK_ROWS],
        "stock_more": max(len(plan.stock) - STOCK_ROWS, 0),
        "cases": cases_summary(user),
        # To do: forms the review sent back, to collect again once the branch corrected them;
        # handovers the archive has not confirmed in time.
        "returned_forms": intake_todo(user),
        "flagged_handovers": flagged_handover_count(user),
    }


def intake_todo(user):
    """The user's returned forms, the longest waiting first, with their count (one query)."""
    rows = list(returned_forms_for_user(user)[:100])
    return {"rows": rows[:RETURNED_ROWS], "count": len(rows)}
