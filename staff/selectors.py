"""Reads for the staff app. Every query starts from the user's scope."""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from core.dates import birthday_ranges, next_birthday
from staff.models import BranchStaff


def get_staff_for_user(user, pk):
    return BranchStaff.objects.select_related("branch__bank", "branch__manager__user").get_for_user(
        user, pk=pk
    )


def _shown(field, value):
    """A stored value as the reader knows it: the role's title, not its code; yes/no."""
    if value is None or value == "":
        return ""
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return value


def change_history(staff):
    """[(record, [(field label, old, new), ...])], newest first, in one query.

    The first record (creation) lists no changes."""
    records = list(staff.history.select_related("history_user").order_by("history_date"))
    rows = []
    previous = None
    for record in records:
        changes = []
        if previous is not None:
            delta = record.diff_against(previous)
            for change in delta.changes:
                field = BranchStaff._meta.get_field(change.field)
                changes.append(
                    (field.verbose_name, _shown(field, change.old), _shown(field, change.new))
                )
        rows.append((record, changes))
        previous = record
    rows.reverse()
    return rows


def postings(staff):
    return staff.postings.select_related("branch__bank").order_by("-started_on")


# --- Birthdays: the window rule -----------------------------------------------------------------


@dataclass
class UpcomingBirthday:
    staff: BranchStaff
    date: datetime.date  # the date of the coming birthday
    days_away: int


def in_birthday_window(queryset, today, days):
    """Active staff of active branches with a birthday on ``today`` .. ``today + days``.

    One indexed range scan on birth_monthday per piece of the window (a window across New
    Year is two); 29 February counts on 28 February in common years (core.dates).
    """
    condition = Q()
    for low, high in birthday_ranges(today, days):
        condition |= Q(birth_monthday__gte=low, birth_monthday__lte=high)
    return queryset.filter(condition, is_active=True, branch__is_active=True).order_by(
        "birth_monthday", "name"
    )


def upcoming_birthdays(staff, today):
    """[UpcomingBirthday] for ``staff`` rows, soonest first; impossible dates are skipped."""
    rows = []
    for member in staff:
        try:
            date = next_birthday(member.birth_month, member.birth_day, today)
        except ValueError:  # an impossible date typed in the admin (e.g. 31 April)
            continue
        rows.append(UpcomingBirthday(member, date, (date - today).days))
    rows.sort(key=lambda row: (row.date, row.staff.branch.name, row.staff.name))
    return rows
