from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.access import visible_to
from accounts.models import AccountManager
from accounts.querysets import ScopedQuerySet


class SyncRecordQuerySet(ScopedQuerySet):
    """Scoped through the sender's manager profile (a manager their own, a supervisor their
    team's, a head their units'), and everyone sees the records they sent themselves."""

    def visibility(self, user):
        if not user.is_authenticated:
            return models.Q(pk__in=[])
        if user.is_superuser:
            return models.Q()
        # The managers the user may see (themself, their team, their units' teams), as the
        # one rule reads it on AccountManager; then the records those managers sent.
        managers = AccountManager.objects.filter(visible_to(user, "")).values("user_id")
        return models.Q(user_id__in=managers) | models.Q(user=user)


class SyncRecord(models.Model):
    """One record queued on a phone while offline, as the server answered it the first time.

    The key is made on the phone (a UUID) when the record is queued; the unique constraint
    lets each key be applied once per user, so a retried or doubled sync returns this
    answer again instead of saving a second visit or stock movement.
    """

    class Kind(models.TextChoices):
        VISIT = "visit", _("Visit")
        DELIVERY = "delivery", _("Delivery")
        TICK = "tick", _("Checklist item ticked")
        MOVEMENT = "movement", _("Stock usage or withdrawal")
        PHOTOS = "photos", _("Photos added to a record")

    class Status(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        REFUSED = "refused", _("Refused")

    key = models.UUIDField(_("idempotency key"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="sync_records",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    # The created object (visit, first stock movement, checklist item), when accepted.
    object_id = models.PositiveBigIntegerField(_("created object"), null=True, blank=True)
    url = models.CharField(_("link"), max_length=200, blank=True)
    # Why the server refused it, in the language of the request that sent it.
    reason = models.TextField(_("reason refused"), blank=True)
    created_at = models.DateTimeField(_("received at"), auto_now_add=True)

    objects = SyncRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("offline record")
        verbose_name_plural = _("offline records")
        # The admin's search by key (across users); the constraint's index leads with user.
        indexes = [models.Index(fields=["key"], name="offline_sync_key_idx")]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="offline_key_once_per_user"),
        ]

    def __str__(self):
        return f"{self.kind} {self.key} {self.status}"

    def as_result(self):
        return {
            "key": str(self.key),
            "kind": self.kind,
            "status": self.status,
            "url": self.url,
            "reason": self.reason,
        }
