"""Celery tasks of the branches app (autodiscovered by config.celery_app)."""

import datetime

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from branches.models import ImportJob


@shared_task(
    acks_late=True,
    soft_time_limit=settings.IMPORT_TIME_LIMIT,
    time_limit=settings.IMPORT_TIME_LIMIT + 60,
)
def run_import_job(job_id):
    """Run a queued import job once. A redelivered message (acks_late) finds the job taken
    and does nothing, unless the worker that took it died (running past the time limit)."""
    from branches import imports

    stale = timezone.now() - datetime.timedelta(seconds=settings.IMPORT_TIME_LIMIT + 120)
    claimed = ImportJob.objects.filter(
        Q(status=ImportJob.Status.QUEUED)
        | Q(status=ImportJob.Status.RUNNING, started_at__lt=stale),
        pk=job_id,
    ).update(status=ImportJob.Status.RUNNING, started_at=timezone.now())
    if not claimed:
        return None
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    try:
        imports.run(job)
    except SoftTimeLimitExceeded:
        with translation.override(job.language):
            message = _("The import took too long and was stopped; nothing was saved.")
        imports.finish_failed(job, message)
    return job.status


@shared_task(acks_late=True)
def escalate_overdue_events():
    """Every 30 minutes: events past their response time go up a level, once each."""
    from branches.services import escalate_overdue_events as escalate

    return len(escalate())
