"""Writes for photos. Views call these; they never save photos themselves."""

import datetime
import uuid
from collections.abc import Sequence

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from photos import images
from photos.models import Photo
from photos.registry import OwnerType, content_type_of


def is_far_from(owner_type: OwnerType, owner, taken_at: datetime.datetime | None) -> bool:
    """A photo is far from its record when the camera's time lies more than
    PHOTOS_TIME_TOLERANCE_HOURS outside the record's window. No camera time: not flagged."""
    if taken_at is None:
        return False
    start, end = owner_type.window(owner)
    tolerance = datetime.timedelta(hours=settings.PHOTOS_TIME_TOLERANCE_HOURS)
    return taken_at < start - tolerance or taken_at > end + tolerance


def add_photos(
    *,
    owner_type: OwnerType,
    owner,
    files: Sequence,
    taken_by: AbstractBaseUser,
) -> list[Photo]:
    """Check every file, then store them all, or none.

    Rules: at least one file and at most PHOTOS_MAX_PER_UPLOAD; each passes
    photos.images.clean_upload (a real image by content, size and pixel limits, EXIF removed);
    one bad file refuses the whole upload with its message. The photos take the owner's
    branch and manager (for scoping) and are flagged when taken far from the owner's time.
    """
    if not files:
        raise ValidationError(_("Choose at least one photo."), code="no_files")
    if len(files) > settings.PHOTOS_MAX_PER_UPLOAD:
        raise ValidationError(
            _("At most %(count)s photos at a time.") % {"count": settings.PHOTOS_MAX_PER_UPLOAD},
            code="too_many_files",
        )
    cleaned = [images.clean_upload(upload, name=getattr(upload, "name", "")) for upload in files]
    branch = owner_type.branch(owner)
    manager = owner_type.manager(owner)
    content_type = content_type_of(owner)
    saved_names = []
    photos = []
    try:
        with transaction.atomic():
            for clean in cleaned:
                stem = uuid.uuid4().hex
                photo = Photo(
                    content_type=content_type,
                    object_id=owner.pk,
                    branch=branch,
                    manager=manager,
                    taken_by=taken_by,
                    uploaded_at=timezone.now(),
                    taken_at=clean.taken_at,
                    width=clean.width,
                    height=clean.height,
                    size=len(clean.image),
                    far_from_owner_time=is_far_from(owner_type, owner, clean.taken_at),
                )
                photo.image.save(f"{stem}.jpg", ContentFile(clean.image), save=False)
                saved_names.append(photo.image)
                photo.thumbnail.save(f"{stem}-thumb.jpg", ContentFile(clean.thumbnail), save=False)
                saved_names.append(photo.thumbnail)
                photo.save()
                photos.append(photo)
    except Exception:
        for field_file in saved_names:
            field_file.storage.delete(field_file.name)
        raise
    return photos
