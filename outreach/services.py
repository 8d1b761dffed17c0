"""Writes for outreach. Views and the admin call these; they never save events themselves."""

import datetime
from collections.abc import Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import AccountManager
from branches.models import Branch, Visit
from duties.services import tick_for_purpose
from outreach.models import OutreachEvent
from sales.models import Policy
from staff.models import BranchStaff


@transaction.atomic
def record_event(
    *,
    organiser: AccountManager,
    recorded_by: AbstractBaseUser,
    kind: str,
    held_on: datetime.date,
    starts_at: datetime.time,
    ends_at: datetime.time,
    branches: Sequence[Branch] = (),
    place: str = "",
    staff: Sequence[BranchStaff] = (),
    customers_reached: int = 0,
    leads: int = 0,
    policies: Sequence[Policy] = (),
    notes: str = "",
) -> OutreachEvent:
    """Record a consultation day or community event and tick the checklist it fulfils.

    Rules: held at one or more of the organiser's own branches, or off-site at a named place
    (a consultation day is always at a branch); it ends no earlier than it starts; counts are
    not negative; the bank staff involved work at the event's branches; the resulting policies
    were sold by the organiser or at the organiser's branches. A consultation day ticks the
    organiser's open "consultation day" checklist items (duties.services.tick_for_purpose).
    """
    branches = list(branches)
    staff = list(staff)
    policies = list(policies)
    errors = {}
    if kind == OutreachEvent.Kind.CONSULTATION and not branches:
        errors["branches"] = _("A consultation day is held at a branch: choose at least one.")
    elif not branches and not place.strip():
        errors["place"] = _("Choose a branch or say where the event was held.")
    if any(branch.manager_id != organiser.pk for branch in branches):
        errors["branches"] = _("Choose only your own branches.")
    if ends_at < starts_at:
        errors["ends_at"] = _("The event cannot end before it starts.")
    if customers_reached < 0 or leads < 0:
        errors["customers_reached"] = _("Counts cannot be negative.")
    branch_ids = {branch.pk for branch in branches}
    if any(person.branch_id not in branch_ids for person in staff):
        errors["staff"] = _("Choose bank staff of the event's branches.")
    foreign = [
        policy.number
        for policy in policies
        if policy.manager_id != organiser.pk and policy.branch.manager_id != organiser.pk
    ]
    if foreign:
        errors["policies"] = _("Not your policies: %(numbers)s.") % {"numbers": ", ".join(foreign)}
    if errors:
        raise ValidationError(errors)
    event = OutreachEvent.objects.create(
        kind=kind,
        organiser=organiser,
        place=place.strip(),
        held_on=held_on,
        starts_at=starts_at,
        ends_at=ends_at,
        customers_reached=customers_reached,
        leads=leads,
        notes=notes,
        created_by=recorded_by,
    )
    event.branches.set(branches)
    event.staff.set(staff)
    event.policies.set(policies)
    if kind == OutreachEvent.Kind.CONSULTATION:
        tick_for_purpose(
            manager=organiser,
            day=held_on,
            branch_ids=sorted(branch_ids),
            purpose=Visit.Purpose.CONSULTATION,
        )
    return event
