"""Reads for the work log. Every query starts from the user's scope."""

from accounts.access import scoped
from accounts.models import AccountManager
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
    """[(manager, log or None)] for the active managers the user may see: two queries."""
    managers = list(
        scoped(
            AccountManager.objects.filter(is_active=True).select_related("user"), user, ""
        ).order_by("employee_number")
    )
    logs = {
        log.manager_id: log
        for log in WorkLog.objects.filter(manager__in=managers, date=day).only(
            "pk", "manager_id", "submitted_at", "date"
        )
    }
    return [(manager, logs.get(manager.pk)) for manager in managers]
