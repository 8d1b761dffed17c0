"""Writes for the staff app. Views call these; they never save models themselves."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.models import Branch
from staff.models import BranchStaff, StaffPosting

EDITABLE_FIELDS = (
    "name",
    "role",
    "is_key_teller",
    "is_influencer",
    "mobile",
    "birth_month",
    "birth_day",
    "birth_year",
    "hobbies",
    "home_area",
    "family_notes",
    "notes",
    "is_active",
)


@transaction.atomic
def add_staff(
    *, branch: Branch, started_on: datetime.date | None = None, **fields: object
) -> BranchStaff:
    """Add a bank employee to a branch and open their first posting there.

    The record is fully validated (mainland mobile, a birthday that exists) before saving.
    """
    staff = BranchStaff(branch=branch, **fields)
    staff.full_clean()
    staff.save()
    StaffPosting.objects.create(
        staff=staff,
        branch=branch,
        role=staff.role,
        started_on=started_on or timezone.localdate(),
    )
    return staff


@transaction.atomic
def update_staff(*, staff: BranchStaff, **fields: object) -> BranchStaff:
    """Change a staff record in place (not the branch: use ``move_staff``). The history
    library keeps the earlier version with who changed it and when."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(staff, name, value)
    staff.full_clean()
    staff.save()
    StaffPosting.objects.filter(staff=staff, ended_on__isnull=True).exclude(role=staff.role).update(
        role=staff.role
    )
    return staff


@transaction.atomic
def move_staff(
    *, staff: BranchStaff, new_branch: Branch, role: str, on: datetime.date
) -> StaffPosting:
    """Post a bank employee to another branch from day ``on``.

    The open posting ends on ``on`` (it cannot end before it started), a new one opens at
    ``new_branch``, and the staff record follows; visits and history stay attached to the
    person, so the relationship survives the rotation.
    """
    if role not in BranchStaff.Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    current = (
        StaffPosting.objects.select_for_update().filter(staff=staff, ended_on__isnull=True).first()
    )
    if current is None:
        # Records created before postings existed: their first posting starts when the
        # record did (or on the move day if that is unknown).
        first = staff.history.order_by("history_date").first()
        started = timezone.localdate(first.history_date) if first else on
        current = StaffPosting.objects.create(
            staff=staff, branch=staff.branch, role=staff.role, started_on=min(started, on)
        )
    if on < current.started_on:
        message = _("The move cannot be before the current posting started (%(date)s).")
        raise ValidationError({"on": message % {"date": current.started_on}})
    current.ended_on = on
    current.save(update_fields=["ended_on"])
    posting = StaffPosting.objects.create(staff=staff, branch=new_branch, role=role, started_on=on)
    staff.branch = new_branch
    staff.role = role
    staff.is_active = True
    staff.save()
    return posting
