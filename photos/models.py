from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import storages
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.access import visible_to
from accounts.querysets import ScopedQuerySet


def photo_storage():
    """STORAGES["photos"]: a local folder by default, an S3-compatible bucket in production."""
    return storages["photos"]


def _path(instance, filename):
    now = timezone.localtime()
    return f"{now:%Y/%m}/{filename}"


class PhotoQuerySet(ScopedQuerySet):
    """Scoped through the branch's manager, like every branch-owned row; a photo of an
    off-site record (no branch) through the manager it was filed under."""

    manager_path = "branch__manager"

    def visibility(self, user):
        at_branch = visible_to(user, "branch__manager") & models.Q(branch__isnull=False)
        off_site = visible_to(user, "manager") & models.Q(branch__isnull=True)
        return at_branch | off_site

    def of(self, owner):
        return self.filter(
            content_type=ContentType.objects.get_for_model(owner), object_id=owner.pk
        )


class Photo(models.Model):
    """A photo attached to a visit, an event, a layout placement, an intake batch...

    The stored image is the clean copy (upright, EXIF removed); the stamp is drawn when it is
    served, so it always shows the record's current check-in distance.
    """

    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+", verbose_name=_("attached to")
    )
    object_id = models.PositiveBigIntegerField(_("attached record"))
    owner = GenericForeignKey("content_type", "object_id")
    branch = models.ForeignKey(
        "branches.Branch",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="photos",
        verbose_name=_("branch"),
    )
    manager = models.ForeignKey(
        "accounts.AccountManager",
        on_delete=models.PROTECT,
        related_name="photos",
        verbose_name=_("account manager"),
    )
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("taken by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    taken_at = models.DateTimeField(_("taken at"), null=True, blank=True)
    image = models.FileField(_("photo"), storage=photo_storage, upload_to=_path, max_length=200)
    thumbnail = models.FileField(
        _("thumbnail"), storage=photo_storage, upload_to=_path, max_length=200
    )
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    size = models.PositiveIntegerField(_("size (bytes)"))
    far_from_owner_time = models.BooleanField(
        _("taken far from the record's time"),
        default=False,
        help_text=_("The camera's time is hours away from the visit or event it is filed under."),
    )

    objects = PhotoQuerySet.as_manager()

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["-uploaded_at", "-pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id"]),
            models.Index(fields=["branch", "-uploaded_at"]),
            models.Index(fields=["manager", "-uploaded_at"]),
            models.Index(fields=["far_from_owner_time"]),
        ]

    def __str__(self):
        return f"{self.branch or ''} {timezone.localtime(self.uploaded_at):%Y-%m-%d %H:%M}"
