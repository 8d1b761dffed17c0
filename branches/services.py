"""Writes for the branches app. Views call these; they never save models themselves."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.models import Branch, Visit
from branches.signals import visit_logged


@transaction.atomic
def log_visit(
    *,
    branch,
    manager,
    purposes,
    visited_at=None,
    staff_met=(),
    summary="",
    next_steps="",
    next_visit_on=None,
):
    """Record a visit to a branch.

    Rules: a visit cannot be in the future; it needs at least one purpose from
    Visit.Purpose; the staff met must work at that branch; the next visit, if planned, is on
    or after the visit's day. The branch's ``last_visit_at`` moves forward (never back, so a
    late-logged old visit does not hide a newer one). Receivers of ``visit_logged`` run in
    the same transaction.
    """
    visited_at = visited_at or timezone.now()
    errors = {}
    if visited_at > timezone.now() + datetime.timedelta(minutes=5):
        errors["visited_at"] = _("A visit cannot be in the future.")
    valid = set(Visit.Purpose.values)
    if not purposes:
        errors["purposes"] = _("Choose at least one purpose.")
    elif any(purpose not in valid for purpose in purposes):
        errors["purposes"] = _("Unknown visit purpose.")
    staff_met = list(staff_met)
    if any(person.branch_id != branch.pk for person in staff_met):
        errors["staff_met"] = _("Only staff of this branch can be met during this visit.")
    if next_visit_on and next_visit_on < timezone.localtime(visited_at).date():
        errors["next_visit_on"] = _("The next visit must be on or after this visit.")
    if errors:
        raise ValidationError(errors)

    visit = Visit.objects.create(
        branch=branch,
        manager=manager,
        visited_at=visited_at,
        purposes=list(purposes),
        summary=summary,
        next_steps=next_steps,
        next_visit_on=next_visit_on,
    )
    if staff_met:
        visit.staff_met.set(staff_met)
    # Move last_visit_at forward in SQL so two visits saved at once cannot move it back.
    Branch.objects.filter(pk=branch.pk).filter(
        Q(last_visit_at__isnull=True) | Q(last_visit_at__lt=visited_at)
    ).update(last_visit_at=visited_at)
    visit_logged.send(sender=Visit, visit=visit)
    return visit
