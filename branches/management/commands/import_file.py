"""Import a spreadsheet from the command line, as the admin's import does, with progress.

    manage.py import_file branches.branch branches.xlsx --user zhou.min
    manage.py import_file staff.branchstaff staff.csv --user zhou.min --dry-run

The file goes through the same checks (size, unpacked size, encoding), the same resource and
the same rules (the user's scope and add/change permissions, all or nothing) as an admin
upload, and is recorded as an import job. It runs in this process, printing its progress.
"""

import pathlib

from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone, translation

from branches import imports
from branches.models import ImportJob
from branches.services import queue_import


class Command(BaseCommand):
    help = "Import a CSV or xlsx file through the admin's import resource, showing progress."

    def add_arguments(self, parser):
        parser.add_argument("model", help="app_label.model_name, e.g. branches.branch")
        parser.add_argument("path")
        parser.add_argument("--user", required=True, help="username the import is made as")
        parser.add_argument("--dry-run", action="store_true", help="check only, save nothing")
        parser.add_argument("--language", default="zh-hans")

    def handle(self, *args, model, path, user, dry_run, language, **options):
        try:
            model_class = apps.get_model(model)
            model_admin = admin.site._registry[model_class]
            resource_class = model_admin.get_import_resource_classes(None)[0]
        except (LookupError, KeyError, AttributeError, ValueError):
            raise CommandError(f"{model} has no import in the admin.") from None
        try:
            importer = get_user_model().objects.get(username=user)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user {user}.") from None
        file = pathlib.Path(path)
        file_format = file.suffix.lower().lstrip(".")
        data = file.read_bytes()
        queued = []
        try:
            with translation.override(language), transaction.atomic():
                job = queue_import(
                    user=importer,
                    resource_class=resource_class,
                    model_label=model_class._meta.label_lower,
                    file_name=file.name,
                    data=data,
                    file_format=file_format,
                    language=language,
                    dry_run=dry_run,
                )
                # Run here rather than on a worker: keep the queued task from starting.
                queued.extend(transaction.get_connection().run_on_commit)
                transaction.get_connection().run_on_commit = []
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.RUNNING, started_at=timezone.now()
        )
        job.refresh_from_db()

        def progress(done, total):
            self.stdout.write(f"{done}/{total} ({round(100 * done / total)}%)")

        imports.run(job, on_progress=progress)
        job.refresh_from_db()
        with translation.override(language):
            if job.message:
                self.stderr.write(job.message)
            for error in job.errors:
                self.stderr.write(f"{error['row'] or '-'}: {' '.join(error['messages'])}")
            self.stdout.write(f"{job.get_status_display()}: {job.summary}")
        if job.status != ImportJob.Status.DONE:
            raise CommandError(f"import job {job.pk} {job.status}")
