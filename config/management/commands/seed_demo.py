"""Demo data for `make run`: safe to run again, it never duplicates.

Each app keeps its own part in ``<app>/demo.py`` with a ``seed(log)`` function; they run in
INSTALLED_APPS order (grading first: it creates the people everything else belongs to).
"""

import importlib

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from grading.demo import DEMO_LOGINS, DEMO_PASSWORD


class Command(BaseCommand):
    help = "Load the demo data (idempotent) and print the demo logins."

    def handle(self, *args, **options):
        with transaction.atomic():
            for config in apps.get_app_configs():
                try:
                    module = importlib.import_module(f"{config.name}.demo")
                except ModuleNotFoundError as error:
                    if error.name != f"{config.name}.demo":
                        raise
                    continue
                module.seed(self._logger(config.label))
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready. Demo logins (password for all: {DEMO_PASSWORD}):")
        )
        for username, description in DEMO_LOGINS:
            self.stdout.write(f"  {username:<12} {description}")

    def _logger(self, label):
        return lambda text: self.stdout.write(f"  [{label}] {text}")
