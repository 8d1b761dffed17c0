"""Demo data for `make run`: safe to run again, it never duplicates.

Each app keeps its own part in ``<app>/demo.py`` with a ``seed(log)`` function, a
``seed_late(log)`` or both; they run in INSTALLED_APPS order (accounts first: it creates the
people everything else belongs to), every ``seed_late`` after every app's ``seed``:
grading's assessments freeze metrics that count the other apps' demo visits, trainings and
cases, and the work logs gather the day's records of every app.
"""

import importlib

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test import override_settings

from accounts.demo import DEMO_LOGINS, DEMO_PASSWORD


class Command(BaseCommand):
    help = "Load the demo data (idempotent) and print the demo logins."

    def handle(self, *args, **options):
        modules = []
        for config in apps.get_app_configs():
            try:
                modules.append((config.label, importlib.import_module(f"{config.name}.demo")))
            except ModuleNotFoundError as error:
                if error.name != f"{config.name}.demo":
                    raise
        # Demo stock starts low or out, which queues real alerts; keep them in the outbox (admin →
        # Notifications) instead of printing a dozen emails over the demo logins.
        with (
            override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"),
            transaction.atomic(),
        ):
            for label, module in modules:
                if hasattr(module, "seed"):
                    module.seed(self._logger(label))
            for label, module in modules:
                if hasattr(module, "seed_late"):
                    module.seed_late(self._logger(label))
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready. Demo logins (password for all: {DEMO_PASSWORD}):")
        )
        for username, description in DEMO_LOGINS:
            self.stdout.write(f"  {username:<12} {description}")

    def _logger(self, label):
        return lambda text: self.stdout.write(f"  [{label}] {text}")
