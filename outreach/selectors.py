"""Reads for outreach."""

from django.db.models import Prefetch

from branches.models import Branch, Visit
from outreach.models import OutreachEvent


def events_for_user(user):
    """The events the user may see (the organiser's scope), newest first, ready for a list:
    two queries whatever the page's length."""
    return (
        OutreachEvent.objects.for_user(user)
        .select_related("organiser__user")
        .prefetch_related(Prefetch("branches", queryset=Branch.objects.select_related("bank")))
    )


def get_event_for_user(user, pk):
    return (
        OutreachEvent.objects.select_related("organiser__user", "created_by")
        .prefetch_related(
            Prefetch("branches", queryset=Branch.objects.select_related("bank")),
            "staff",
            "policies__product",
        )
        .get_for_user(user, pk=pk)
    )


def events_at_branch(branch, limit, evaluate=True):
    rows = (
        OutreachEvent.objects.filter(branches=branch)
        .select_related("organiser__user")
        .order_by("-held_on", "-starts_at")[:limit]
    )
    return list(rows) if evaluate else rows


def consultation_records(manager, first, last):
    """Consultation days as (day, branch_id, purposes) rows, for new checklist items
    (duties.services.register_purpose_source): one query."""
    rows = OutreachEvent.branches.through.objects.filter(
        outreachevent__organiser=manager,
        outreachevent__kind=OutreachEvent.Kind.CONSULTATION,
        outreachevent__held_on__gte=first,
        outreachevent__held_on__lte=last,
    ).values_list("outreachevent__held_on", "branch_id")
    return [(day, branch_id, [Visit.Purpose.CONSULTATION]) for day, branch_id in rows]
