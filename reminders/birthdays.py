"""The morning birthday email: each manager's bank staff with a birthday in the window."""

from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q

from reminders.dates import birthday_ranges, local_today, next_birthday
from reminders.models import ReminderKind
from reminders.services import PlannedReminder


@dataclass
class UpcomingBirthday:
    staff: object  # staff.models.BranchStaff
    date: object  # the date of the coming birthday
    days_away: int


def staff_in_window(today, days):
    """Active staff of active branches whose birthday falls in the window: one indexed query."""
    from staff.models import BranchStaff

    condition = Q()
    for low, high in birthday_ranges(today, days):
        condition |= Q(birth_monthday__gte=low, birth_monthday__lte=high)
    return (
        BranchStaff.objects.filter(condition, is_active=True, branch__is_active=True)
        # The preference rides along: queueing reads each manager's language and switches.
        .select_related("branch__bank", "branch__manager__user__reminder_preference")
        .order_by("birth_monthday", "name")
    )


def upcoming_by_manager(today, days):
    """{AccountManager: [UpcomingBirthday, ...]} sorted by how soon the birthday comes."""
    grouped = defaultdict(list)
    for member in staff_in_window(today, days):
        try:
            date = next_birthday(member.birth_month, member.birth_day, today)
        except ValueError:  # an impossible date typed in the admin (e.g. 31 April)
            continue
        grouped[member.branch.manager].append(UpcomingBirthday(member, date, (date - today).days))
    for rows in grouped.values():
        rows.sort(key=lambda row: (row.date, row.staff.branch.name, row.staff.name))
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
