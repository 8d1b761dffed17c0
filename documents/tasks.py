"""Celery tasks of the documents app (autodiscovered by config.celery_app)."""

from celery import shared_task

from documents import services


@shared_task(acks_late=True)
def refresh_stock_usage():
    """Just after midnight: each branch item's usage over the new 30-day window, so the home
    page, the dashboard and the 08:00 stock scan read it instead of summing the ledger."""
    return services.refresh_stock_usage()
