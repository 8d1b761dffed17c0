"""Reads for the staff app. Every query starts from the user's scope."""

from django.utils.translation import gettext as _

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
