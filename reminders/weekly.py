"""The Monday digest: each manager's overdue service cases, branches due a visit and abnormal
events past their response time.

A manager gets one email listing (a) the open cases of their branches whose due time has
passed and (b) their active branches not visited within their tier's interval
(``branches.selectors.visit_interval``: ``VISIT_INTERVAL_DAYS_A/B/C``; never visited counts as
overdue, as on the planner). A supervisor gets one email with their team's totals per
manager. Nothing to report, no email. The dedupe key is the user and the ISO week, so a
doubled beat or a retried task sends once that week.

Planning costs three queries whatever the number of managers: one for the cases, one for
the branches, one for the overdue events, each carrying the manager, their user, supervisor
and preferences.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from branches.models import OPEN_UNANSWERED, AbnormalEvent, Branch
from branches.selectors import overdue_for_visit, visit_interval
from core.dates import local_midnight, local_today
from reminders.models import ReminderKind
from reminders.services import PlannedReminder
from service.models import Case

# The preferences ride along with every row: queueing reads each recipient's language and
# switches without a query per email.
MANAGER_RELATED = (
    "manager__user__reminder_preference",
    "manager__supervisor__reminder_preference",
)


def iso_week(day):
    """ "2026-W01": the ISO year and week, which differ from the calendar year around 1 January."""
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def dedupe_key(user, day):
    return f"weekly:{user.pk}:{iso_week(day)}"


def overdue_cases(now):
    """Open cases of active managers' branches whose due time is before ``now``: one query."""

    return (
        Case.objects.overdue(now)
        .filter(branch__manager__is_active=True)
        .select_related("branch__bank", *(f"branch__{path}" for path in MANAGER_RELATED))
        .order_by("due_at", "pk")
    )


def unvisited_branches(today):
    """Active branches whose last visit is more than their tier's interval ago: one query.

    Like the planner, days count in local dates: a branch of a 7-day tier last visited on
    Monday the 1st is overdue from Tuesday the 9th. Never visited counts as overdue.
    """
    return (
        Branch.objects.filter(overdue_for_visit(today), is_active=True, manager__is_active=True)
        .select_related("bank", *MANAGER_RELATED)
        .order_by("last_visit_at", "bank__name", "code")
    )


def overdue_events(now):
    """Abnormal events of active managers' branches still unanswered past their response
    time (branches.models.AbnormalEvent.respond_by), the most overdue first: one query."""
    return (
        AbnormalEvent.objects.filter(
            status__in=OPEN_UNANSWERED, respond_by__lt=now, branch__manager__is_active=True
        )
        .select_related(
            "branch__bank", "escalated_to", *(f"branch__{path}" for path in MANAGER_RELATED)
        )
        .order_by("respond_by", "pk")
    )


@dataclass
class ManagerWeek:
    manager: object  # grading.models.AccountManager
    cases: list = field(default_factory=list)  # service.models.Case, soonest due first
    branches: list = field(default_factory=list)  # {"branch", "interval", "days_since"}
    events: list = field(default_factory=list)  # branches.models.AbnormalEvent, overdue


def by_manager(today, now):
    """{manager id: ManagerWeek} of every active manager with something to report."""
    weeks = {}

    def week_of(manager):
        return weeks.setdefault(manager.pk, ManagerWeek(manager))

    for case in overdue_cases(now):
        week_of(case.branch.manager).cases.append(case)
    for event in overdue_events(now):
        week_of(event.branch.manager).events.append(event)
    for branch in unvisited_branches(today):
        last = branch.last_visit_at
        week_of(branch.manager).branches.append(
            {
                "branch": branch,
                "interval": visit_interval(branch.tier),
                "days_since": None if last is None else (today - timezone.localdate(last)).days,
            }
        )
    return weeks


def plan(today=None):
    """One email per manager with something to report and one per supervisor of such a team.

    ``today`` replays a given day: cases count as overdue when due before that day's
    midnight (Asia/Shanghai); the real run counts up to now.
    """
    now = timezone.now() if today is None else local_midnight(today)
    today = today or local_today()
    weeks = sorted(by_manager(today, now).values(), key=lambda week: week.manager.pk)
    planned = []
    teams = defaultdict(list)
    for week in weeks:
        manager = week.manager
        planned.append(
            PlannedReminder(
                kind=ReminderKind.WEEKLY,
                recipient=manager.user,
                dedupe_key=dedupe_key(manager.user, today),
                template="reminders/email/weekly",
                context={
                    "manager": manager,
                    "cases": week.cases,
                    "branches": week.branches,
                    "events": week.events,
                    "total": len(week.cases) + len(week.branches) + len(week.events),
                    "today": today,
                    "week": iso_week(today),
                },
            )
        )
        if manager.supervisor is not None:
            teams[manager.supervisor].append(week)
    for supervisor, team in sorted(teams.items(), key=lambda item: item[0].pk):
        planned.append(
            PlannedReminder(
                kind=ReminderKind.WEEKLY,
                recipient=supervisor,
                dedupe_key=dedupe_key(supervisor, today),
                template="reminders/email/weekly_team",
                context={
                    "rows": team,
                    "total_cases": sum(len(week.cases) for week in team),
                    "total_branches": sum(len(week.branches) for week in team),
                    "total_events": sum(len(week.events) for week in team),
                    "today": today,
                    "week": iso_week(today),
                },
            )
        )
    return planned
