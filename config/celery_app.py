"""The Celery app. Workers: `celery -A config worker`; the scheduler: `celery -A config beat`."""

import os

from celery import Celery
from celery.signals import worker_init

from core.collector import settle_collector

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("branchdesk")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Finds tasks.py in every installed app.
app.autodiscover_tasks()


@worker_init.connect
def settle_worker_collector(**_kwargs):
    """A worker's garbage collector set as a served process's (core.collector): the scans
    allocate as much as the heaviest pages. Once the worker has loaded Django, before its
    pool starts: a prefork pool's children inherit it."""
    settle_collector()
