"""Which records may carry photos, and what the photos app needs to know about each.

An app registers its model from its ``AppConfig.ready`` (photos registers branches' own
models itself; documents and outreach, above photos, register theirs)::

    from photos.registry import register_owner

    register_owner(
        IntakeBatch,
        window=lambda batch: (batch.collected_at, batch.collected_at),
        url=lambda pk: reverse("documents:intake_batch", args=[pk]),
        label=lambda batch: str(batch),
        name=_("Intake batch"),
    )

- ``window(owner) -> (start, end)``: the aware moments the record covers; a photo taken more
  than PHOTOS_TIME_TOLERANCE_HOURS outside it is flagged. A day-long record gives the day.
- ``branch(owner) -> Branch | None``: the branch the photos belong to (scoping, timeline);
  by default ``owner.branch``. None for an off-site record: then ``manager(owner)`` scopes.
- ``manager(owner) -> AccountManager``: by default the branch's manager.
- ``distance(owner) -> float | None``: metres between the check-in and the branch, drawn on
  the stamp; by default the owner's ``distance_m`` if it has one.
- ``url(pk)``: the owner's page; ``label(owner)``: what to call one record (the stamp of an
  off-site record shows it); ``name``: what to call this kind of record (the timeline).

Deleting an owner deletes its photos (a ``post_delete`` receiver connected here).

The owner model's default manager must have ``for_user`` (accounts.querysets.ScopedQuerySet):
uploads look the owner up through it, so nobody attaches photos to another's records.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models.signals import post_delete
from django.http import Http404
from django.utils import timezone


@dataclass(frozen=True)
class OwnerType:
    model: type
    window: Callable
    url: Callable
    label: Callable
    name: str
    branch: Callable
    manager: Callable
    distance: Callable


_owners: dict[str, OwnerType] = {}


def _default_distance(owner):
    distance = getattr(owner, "distance_m", None)
    return float(distance) if distance is not None else None


def register_owner(
    model,
    *,
    window: Callable,
    url: Callable,
    label: Callable,
    name: str,
    branch: Callable | None = None,
    manager: Callable | None = None,
    distance: Callable | None = None,
) -> OwnerType:
    """Let ``model``'s records carry photos (see the module docstring)."""
    branch = branch or (lambda owner: owner.branch)
    owner_type = OwnerType(
        model=model,
        window=window,
        url=url,
        label=label,
        name=name,
        branch=branch,
        manager=manager or (lambda owner: branch(owner).manager),
        distance=distance or _default_distance,
    )
    _owners[model._meta.label_lower] = owner_type
    post_delete.connect(_delete_photos, sender=model, dispatch_uid=f"photos_{model._meta.label}")
    return owner_type


def _delete_photos(sender, instance, **kwargs):
    from photos.models import Photo

    photos = list(Photo.objects.of(instance))
    files = [(f.storage, f.name) for p in photos for f in (p.image, p.thumbnail) if f]
    Photo.objects.filter(pk__in=[p.pk for p in photos]).delete()
    # The bytes go once the deletion has committed, so a rollback keeps them.
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in files])


def owner_type_for(model) -> OwnerType | None:
    return _owners.get(model._meta.label_lower)


def owner_types():
    return dict(_owners)


def get_owner_for_user(user, label, pk):
    """(owner_type, owner) for ``app_label.model`` ``label`` and ``pk``, within the user's
    scope; 404 for an unregistered model or a record the user may not see."""
    owner_type = _owners.get(label)
    if owner_type is None:
        raise Http404
    return owner_type, owner_type.model._default_manager.get_for_user(user, pk=pk)


def content_type_label(owner):
    return owner._meta.label_lower


def content_type_of(owner):
    return ContentType.objects.get_for_model(owner)


def day_window(day: datetime.date):
    """The whole local day, for records that carry a date and no time."""
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    return start, start + datetime.timedelta(days=1)
