"""Celery tasks of the reminders app (autodiscovered by config.celery_app).

The scheduled tasks only plan and queue; each email is then sent by its own
``send_notification`` task, so one bad address never holds up the others.
"""

import datetime

from celery import shared_task
from django.conf import settings

from reminders import birthdays, services, stock, weekly


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=services.RETRYABLE_ERRORS,
    retry_backoff=True,
    # Capped well below the broker's visibility timeout: no long countdowns in Redis.
    retry_backoff_max=settings.REMINDERS_SEND_BACKOFF_MAX,
    retry_jitter=True,
    max_retries=settings.REMINDERS_SEND_MAX_RETRIES,
)
def send_notification(self, notification_id):
    final_attempt = self.request.retries >= self.max_retries
    return services.deliver(notification_id=notification_id, final_attempt=final_attempt)


def _date(value):
    return datetime.date.fromisoformat(value) if value else None


@shared_task(acks_late=True)
def send_birthday_reminders(date=None):
    """The 07:30 run. ``date`` (ISO) replays a given day; the dedupe key makes it safe."""
    return len(services.queue_planned(planned_reminders=birthdays.plan(today=_date(date))))


@shared_task(acks_late=True)
def send_stock_digests(date=None):
    """The 08:00 run: each manager's digest and the supervisors' long-outage copies."""
    return len(services.queue_planned(planned_reminders=stock.plan_daily(today=_date(date))))


@shared_task(acks_late=True)
def send_weekly_digests(date=None):
    """The Monday 08:30 run: overdue cases and branches due a visit, once per ISO week."""
    return len(services.queue_planned(planned_reminders=weekly.plan(today=_date(date))))


@shared_task(acks_late=True)
def requeue_stale_notifications():
    return services.requeue_stale()
