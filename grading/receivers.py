"""Grading's reactions to other apps' events."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from accounts.models import AccountManager
from grading.models import CurrentLevel, entry_level_id


@receiver(post_save, sender=AccountManager, dispatch_uid="grading-entry-level")
def place_new_manager(sender, instance, created, raw=False, **kwargs):
    """Every new account manager starts on the ladder's lowest rung (客户专员)."""
    if created and not raw:
        level_id = entry_level_id()
        if level_id is not None:
            CurrentLevel.objects.get_or_create(manager=instance, defaults={"level_id": level_id})
