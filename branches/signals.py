"""Signals other apps listen to, so they react to branch activity without this app knowing them.

``visit_logged(sender=Visit, visit=visit)`` is sent inside the transaction that saved the
visit: a receiver's writes (ticking a checklist item, say) commit or roll back with it.

``event_reported(sender=AbnormalEvent, event=event)`` when an abnormal event is reported, and
``event_escalated(sender=AbnormalEvent, event=event, head=user)`` when one past its response
time goes up a level: both inside the saving transaction (reminders queues the emails).

Below them, this app's own receivers keeping ``VisitDay`` (visits per manager and local day)
and the branch's latest visit (``Branch.last_visit_at`` and ``planned_visit_on``) in step
with every save and delete of a visit, whoever makes it (``services.log_visit``, the admin,
factories, a branch's deletion cascading to its visits); connected in
``BranchesConfig.ready``. ``QuerySet.update`` of a visit's manager, branch, time or next
visit, or raw SQL, would bypass them: nothing in the product does either; bulk inserts call
``services.rebuild_visit_days`` afterwards and set the branches' latest visit themselves
(seed_bench).
"""

from django.dispatch import Signal

visit_logged = Signal()
event_reported = Signal()
event_escalated = Signal()

_BEFORE = "_visit_day_before"
_BRANCH_BEFORE = "_visit_branch_before"
_COUNTED = {"manager", "manager_id", "visited_at"}
_MOVED = {"branch", "branch_id"}
# What decides which visit is a branch's latest, and what the branch keeps of it.
_LATEST = {"branch", "branch_id", "visited_at", "next_visit_on"}


def _day(visit):
    from branches.models import Visit
    from branches.services import visit_day_of

    visited_at = visit.visited_at
    if isinstance(visited_at, str):
        visited_at = Visit._meta.get_field("visited_at").to_python(visited_at)
    return visit.manager_id, visit_day_of(visited_at)


def remember_visit_day(sender, instance, update_fields=None, using=None, **kwargs):
    """pre_save: an existing visit's manager, time and branch as stored, if this save may
    change them (the admin's change form may; check-out and corrections save other fields
    only)."""
    if instance.pk is None or (
        update_fields is not None and not (_COUNTED | _MOVED) & set(update_fields)
    ):
        return
    stored = (
        sender._base_manager.using(using)
        .filter(pk=instance.pk)
        .values_list("manager_id", "visited_at", "branch_id")
        .first()
    )
    if stored is not None:
        from branches.services import visit_day_of

        setattr(instance, _BEFORE, (stored[0], visit_day_of(stored[1])))
        setattr(instance, _BRANCH_BEFORE, stored[2])


def count_saved_visit(sender, instance, created, **kwargs):
    """post_save: a new visit adds one to its manager's day; a visit moved to another manager
    or day moves its one."""
    from branches.services import count_visit_day

    before = instance.__dict__.pop(_BEFORE, None)
    if before is None and not created:
        return
    manager_id, day = _day(instance)
    if before == (manager_id, day):
        return
    if before is not None:
        count_visit_day(manager_id=before[0], day=before[1], change=-1)
    count_visit_day(manager_id=manager_id, day=day, change=1)


def count_deleted_visit(sender, instance, **kwargs):
    """post_delete (its own or a cascade's): the visit's day loses it."""
    from branches.services import count_visit_day

    manager_id, day = _day(instance)
    count_visit_day(manager_id=manager_id, day=day, change=-1)


def keep_latest_of_saved_visit(sender, instance, created, update_fields=None, **kwargs):
    """post_save: a new visit may be its branch's latest (one conditional update); a visit
    whose branch, time or next visit may have changed has its branch, and the branch it left,
    read again."""
    from branches.services import note_new_visit, refresh_latest_visit

    left = instance.__dict__.pop(_BRANCH_BEFORE, None)
    if created:
        note_new_visit(visit=instance)
    elif update_fields is None or _LATEST & set(update_fields):
        refresh_latest_visit(branch_ids=[instance.branch_id, left])


def keep_latest_of_deleted_visit(sender, instance, origin=None, **kwargs):
    """post_delete: the branch's latest visit is read again, unless the visit goes with its
    branch (a branch's deletion cascading to its visits: no lock and update of a branch being
    deleted, two queries per visit)."""
    from django.db.models import QuerySet

    from branches.models import Branch
    from branches.services import refresh_latest_visit

    if isinstance(origin, Branch) or (isinstance(origin, QuerySet) and origin.model is Branch):
        return
    refresh_latest_visit(branch_ids=[instance.branch_id])


def connect_visit_days():
    """Connect the receivers keeping VisitDay and the branch's latest visit in step."""
    from django.db.models.signals import post_delete, post_save, pre_save

    from branches.models import Visit

    pre_save.connect(remember_visit_day, sender=Visit, dispatch_uid="visit_day_before")
    post_save.connect(count_saved_visit, sender=Visit, dispatch_uid="visit_day_saved")
    post_delete.connect(count_deleted_visit, sender=Visit, dispatch_uid="visit_day_deleted")
    post_save.connect(keep_latest_of_saved_visit, sender=Visit, dispatch_uid="visit_latest_saved")
    post_delete.connect(
        keep_latest_of_deleted_visit, sender=Visit, dispatch_uid="visit_latest_deleted"
    )
