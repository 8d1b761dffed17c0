"""Reads for the staff app. Every query starts from the user's scope."""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from branches.models import Branch
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


def _with_names(queryset):
    """A branch's name includes its bank's: read both at once."""
    if queryset.model is Branch:
        return queryset.select_related("bank")
    return queryset


def change_history(staff):
    """[(record, [(field label, old, new), ...])], newest first, in one query per kind of record.

    The first record (creation) lists no changes. A changed branch reads as the branch's name,
    not its id ("网点: 陆家嘴支行 → 张江支行", never "网点: 10 → 1"): the rows a change points
    at are read in one query per related model."""
    records = list(staff.history.select_related("history_user").order_by("history_date"))
    raw = []
    related_ids = {}
    previous = None
    for record in records:
        changes = []
        if previous is not None:
            delta = record.diff_against(previous)
            for change in delta.changes:
                field = BranchStaff._meta.get_field(change.field)
                changes.append((field, change.old, change.new))
                if field.is_relation:
                    ids = related_ids.setdefault(field.related_model, set())
                    ids.update(v for v in (change.old, change.new) if v not in (None, ""))
        raw.append((record, changes))
        previous = record
    related = {
        model: _with_names(model._default_manager.all()).in_bulk(ids)
        for model, ids in related_ids.items()
    }

    def shown(field, value):
        if field.is_relation and value not in (None, ""):
            return str(related[field.related_model].get(value, value))
        return _shown(field, value)

    rows = [
        (record, [(f.verbose_name, shown(f, old), shown(f, new)) for f, old, new in changes])
        for record, changes in raw
    ]
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
