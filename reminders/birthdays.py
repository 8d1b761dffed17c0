"""The morning birthday email: each manager's bank staff with a birthday in the window."""

from collections import defaultdict

from django.conf import settings

from core.dates import local_today
from reminders.models import ReminderKind
from reminders.services import PlannedReminder
from staff.models import BranchStaff
from staff.selectors import UpcomingBirthday, in_birthday_window, upcoming_birthdays

__all__ = ["UpcomingBirthday", "plan", "staff_in_window", "upcoming_by_manager"]


def staff_in_window(today, days):
    """Every manager's staff with a birthday in the window (staff's rule): one indexed query."""
    return in_birthday_window(BranchStaff.objects.all(), today, days).select_related(
        # The preference rides along: queueing reads each manager's language and switches.
        "branch__bank",
        "branch__manager__user__reminder_preference",
    )


def upcoming_by_manager(today, days):
    """{AccountManager: [UpcomingBirthday, ...]} sorted by how soon the birthday comes."""
    grouped = defaultdict(list)
    for row in upcoming_birthdays(staff_in_window(today, days), today):
        grouped[row.staff.branch.manager].append(row)
    return grouped


def plan(today=None, days=None):
    """One planned email per active manager with at least one birthday; none otherwise."""
    today = today or local_today()
    days = settings.REMINDERS_BIRTHDAY_WINDOW_DAYS if days is None else days
    planned = []
    for manager, rows in sorted(upcoming_by_manager(today, days).items(), key=lambda i: i[0].pk):
        if not manager.is_active:
            continue
        planned.append(
            PlannedReminder(
                kind=ReminderKind.BIRTHDAYS,
                recipient=manager.user,
                dedupe_key=f"birthday:{manager.user_id}:{today.isoformat()}",
                template="reminders/email/birthdays",
                context={"manager": manager, "birthdays": rows, "today": today, "days": days},
            )
        )
    return planned
