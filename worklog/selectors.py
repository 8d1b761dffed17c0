"""Reads for the work log. Every query starts from the user's scope."""

from django.db.models.functions import Left

from accounts.access import heads_above_team, is_supervisor, manager_profile, scoped
from accounts.models import AccountManager
from core.functions import JSONArrayLength
from core.prepared import fetch_prepared
from worklog.models import WorkLog
from worklog.providers import entries_for


def log_of(manager, day):
    return WorkLog.objects.filter(manager=manager, date=day).first()


def _log_read(v):
    return [WorkLog.objects.filter(manager=v.manager, date=v.day).order_by("pk")[:1]]


def log_and_entries(manager, day):
    """(``log_of(manager, day)``, ``entries_for(manager, day)``): the log read in the same
    prepared statement as the day's records."""
    entries, (logs,) = entries_for(manager, day, extra=_log_read)
    return (logs[0] if logs else None), entries


def get_log_for_user(user, pk):
    return WorkLog.objects.select_related("manager__user").get_for_user(user, pk=pk)


def team_day(user, day):
    """[(manager, log or None)] for the active managers the user may see: two queries, or
    for a supervisor who is nothing else one prepared statement (``core.prepared``)."""
    if _supervises_only(user):
        managers, logs = fetch_prepared(
            ("worklog.team_day",), _team_day_reads, supervisor=user.pk, day=day
        )
    else:
        managers = list(
            scoped(
                AccountManager.objects.filter(is_active=True).select_related("user"), user, ""
            ).order_by("employee_number")
        )
        logs = _team_logs(WorkLog.objects.filter(manager__in=managers, date=day))
    logs = {log.manager_id: log for log in logs}
    return [(manager, logs.get(manager.pk)) for manager in managers]


_LOG_FIELDS = ("pk", "manager_id", "submitted_at", "date")
NOTES_PREVIEW = 80  # characters of a log's notes the team's page shows


def _team_logs(logs):
    """The columns the team's page shows: when each log was sent, how many records it holds
    and how its notes begin, counted and cut in the database (a busy day's records run to
    tens of kilobytes a log)."""
    return logs.only(*_LOG_FIELDS).annotate(
        record_count=JSONArrayLength("entries"), notes_start=Left("notes", NOTES_PREVIEW + 1)
    )


def _supervises_only(user):
    """A supervisor who is no manager and heads no unit above a team: the managers they may
    see are exactly those they supervise (accounts.access.visible_to's first condition)."""
    return (
        user.is_authenticated
        and not user.is_superuser
        and is_supervisor(user)
        and manager_profile(user) is None
        and not heads_above_team(user)
    )


def _team_day_reads(v):
    managers = AccountManager.objects.filter(is_active=True, supervisor_id=v.supervisor)
    return [
        managers.select_related("user").order_by("employee_number"),
        _team_logs(WorkLog.objects.filter(manager__in=managers.values("pk"), date=v.day)),
    ]
