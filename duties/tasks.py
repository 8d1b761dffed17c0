"""Celery tasks of the duties app (autodiscovered by config.celery_app)."""

from celery import shared_task
from django.utils import timezone

from accounts.models import AccountManager
from duties.services import generate_checklist


@shared_task(name="duties.generate_daily_checklists")
def generate_daily_checklists():
    """Generate today's checklist for every active manager, early each morning.

    Without it a manager who never opens the checklist would show 0 of 0 items, not
    0 of N, in the weekly completion rates. Idempotent, so a retry or a late run is safe.
    """
    today = timezone.localdate()
    created = 0
    for manager in AccountManager.objects.filter(is_active=True).iterator():
        created += generate_checklist(manager=manager, day=today)
    return created
