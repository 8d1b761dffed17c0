"""Signals other apps listen to, so they react to branch activity without this app knowing them.

``visit_logged(sender=Visit, visit=visit)`` is sent inside the transaction that saved the
visit: a receiver's writes (ticking a checklist item, say) commit or roll back with it.

``event_reported(sender=AbnormalEvent, event=event)`` when an abnormal event is reported, and
``event_escalated(sender=AbnormalEvent, event=event, head=user)`` when one past its response
time goes up a level: both inside the saving transaction (reminders queues the emails).

Below them, this app's own receivers keeping ``VisitDay`` (visits per manager and local day)
in step with every save and delete of a visit, whoever makes it (``services.log_visit``, the
admin, factories, a branch's deletion cascading to its visits); connected in
``BranchesConfig.ready``. ``QuerySet.update`` of a visit's manager or time, or raw SQL, would
bypass them: nothing in the product does either; bulk inserts call
``services.rebuild_visit_days`` afterwards.
"""

from django.dispatch import Signal

visit_logged = Signal()
event_reported = Signal()
event_escalated = Signal()

_BEFORE = "_visit_day_before"
_COUNTED = {"manager", "manager_id", "visited_at"}


def _day(visit):
    from branches.models import Visit
    from branches.services import visit_day_of

    visited_at = visit.visited_at
    if isinstance(visited_at, str):
        visited_at = Visit._meta.get_field("visited_at").to_python(visited_at)
    return visit.manager_id, visit_day_of(visited_at)


def remember_visit_day(sender, instance, update_fields=None, using=None, **kwargs):
    """pre_save: an existing visit's manager and time as stored, if this save may change them
    (the admin's change form may; check-out and corrections save other fields only)."""
    if instance.pk is None or (update_fields is not None and not _COUNTED & set(update_fields)):
        return
    stored = (
        sender._base_manager.using(using)
        .filter(pk=instance.pk)
        .values_list("manager_id", "visited_at")
        .first()
    )
    if stored is not None:
        from branches.services import visit_day_of

        setattr(instance, _BEFORE, (stored[0], visit_day_of(stored[1])))


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


def connect_visit_days():
    from django.db.models.signals import post_delete, post_save, pre_save

    from branches.models import Visit

    pre_save.connect(remember_visit_day, sender=Visit, dispatch_uid="visit_day_before")
    post_save.connect(count_saved_visit, sender=Visit, dispatch_uid="visit_day_saved")
    post_delete.connect(count_deleted_visit, sender=Visit, dispatch_uid="visit_day_deleted")
