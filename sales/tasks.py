from celery import shared_task
from django.conf import settings

from sales.services import scan_feed_dir


@shared_task(name="sales.tasks.scan_feed_dir")
def scan_feed_dir_task():
    """Import the feed files dropped in SALES_FEED_DIR, each once (by content hash)."""
    records = scan_feed_dir(folder=settings.SALES_FEED_DIR)
    return [(record.file_name, record.outcome) for record in records]
