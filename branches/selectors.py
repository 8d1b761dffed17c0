"""Reads for the branches app. Every query starts from the user's scope."""

import datetime

from django.conf import settings
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from accounts.access import acting_manager
from branches.models import Branch, Visit
from core.dates import local_midnight


def get_branch_for_user(user, pk):
    return Branch.objects.select_related("bank", "manager__user").get_for_user(user, pk=pk)


def get_visit_for_user(user, pk):
    return Visit.objects.select_related("branch__bank", "manager__user").get_for_user(user, pk=pk)


def branches_for_user(user):
    return Branch.objects.for_user(user).select_related("bank", "manager__user")


def branch_list(user):
    """Branches for the list page; last visit comes from the indexed Branch.last_visit_at."""
    return branches_for_user(user).order_by("bank__name", "code")


def recent_events(branch, limit):
    """The branch's latest abnormal events, newest first.

    The overview (latest 10) and the timeline's events provider (latest 50) show the same
    rows: the first caller's query is kept on the branch instance for the request, so the
    branch page reads them once.
    """
    cached = branch.__dict__.get("_recent_events")
    if cached is not None:
        fetched_limit, rows = cached
        # Enough rows, or every row there is: no need to ask again.
        if fetched_limit >= limit or len(rows) < fetched_limit:
            return rows[:limit]
    rows = list(branch.events.select_related("reported_by").order_by("-occurred_on", "-pk")[:limit])
    branch.__dict__["_recent_events"] = (limit, rows)
    return rows


def branch_overview(branch):
    """Key figures for the branch page, in a constant number of queries."""
    today = timezone.localdate()
    deposits = list(branch.deposits.order_by("-as_of")[:2])
    deposit = None
    if deposits:
        latest = deposits[0]
        previous = deposits[1] if len(deposits) > 1 else None
        deposit = {
            "latest": latest,
            "previous": previous,
            "change": latest.total - previous.total if previous else None,
        }
    targets = list(
        branch.targets.filter(period_start__lte=today, period_end__gte=today).order_by(
            "period_start"
        )
    )
    # Append-only observations: the latest per insurer, compared with the one before it.
    latest_by_insurer = {}
    for row in branch.competitors.order_by("insurer", "-observed_on", "-pk"):
        latest_by_insurer.setdefault(row.insurer, []).append(row)
    competitors = []
    for rows in latest_by_insurer.values():
        latest = rows[0]
        previous = rows[1] if len(rows) > 1 else None
        competitors.append(
            {
                "latest": latest,
                "previous": previous,
                "annual_change": latest.annual_premium - previous.annual_premium
                if previous
                else None,
                "recent_change": latest.recent_premium - previous.recent_premium
                if previous
                else None,
            }
        )
    competitors.sort(key=lambda c: c["latest"].annual_premium, reverse=True)
    return {
        "deposit": deposit,
        "targets": targets,
        "competitors": competitors,
        "staff": list(branch.staff.filter(is_active=True).order_by("role", "name")),
        "events": recent_events(branch, 10),
    }


def default_visit_manager(user, branch):
    """Who a visit is logged for: the signed-in manager, else the branch's manager."""
    return acting_manager(user, branch.manager)


# --- Visits: when a branch is due one ---------------------------------------------------------


def visit_interval(tier):
    """Days between visits a branch of this tier should get."""
    return {
        Branch.Tier.A: settings.VISIT_INTERVAL_DAYS_A,
        Branch.Tier.B: settings.VISIT_INTERVAL_DAYS_B,
        Branch.Tier.C: settings.VISIT_INTERVAL_DAYS_C,
    }.get(tier, settings.VISIT_INTERVAL_DAYS_B)


def overdue_for_visit(today):
    """A Q on Branch: due a visit on ``today``, the planner's ``is_overdue`` in SQL.

    Never visited, or last visited on a local date more than the tier's interval before
    ``today`` (a 7-day tier last visited on Monday the 1st is overdue from Tuesday the 9th).
    The dashboard and the weekly digest count with this, so they agree with the planner.
    """
    condition = Q(last_visit_at__isnull=True)
    for tier in Branch.Tier.values:
        cutoff = local_midnight(today - datetime.timedelta(days=visit_interval(tier)))
        condition |= Q(tier=tier, last_visit_at__lt=cutoff)
    return condition


def is_overdue_for_visit(branch, today):
    """:func:`overdue_for_visit` for a branch already in memory (no query)."""
    if branch.last_visit_at is None:
        return True
    if branch.tier not in Branch.Tier.values:
        return False
    cutoff = local_midnight(today - datetime.timedelta(days=visit_interval(branch.tier)))
    return branch.last_visit_at < cutoff


def latest_planned_visit(branch_ref="pk"):
    """A subquery: the next visit planned at the branch's latest visit.

    The latest visit's plan wins (an older visit's plan was superseded by the next visit).
    ``branch_ref`` is the outer query's path to the branch id ("pk" on Branch).
    """
    return Subquery(
        Visit.objects.filter(branch=OuterRef(branch_ref))
        .order_by("-visited_at", "-pk")
        .values("next_visit_on")[:1]
    )
