"""Count the visits per manager and local day (branches.VisitDay) again from the visits.

    manage.py rebuild_visit_days                    # every day
    manage.py rebuild_visit_days --since 2026-11-01 # the days from 1 November on

The table is kept in step by every save and delete of a visit; this is for rows written
around the model (a COPY, raw SQL, a restore of the visits alone). Running it twice gives
the same table (services.rebuild_visit_days: one DELETE and one INSERT ... SELECT in one
transaction).
"""

import datetime

from django.core.management.base import BaseCommand, CommandError

from branches.services import rebuild_visit_days


class Command(BaseCommand):
    help = "Rebuild the visits per manager and local day from the visits."

    def add_arguments(self, parser):
        parser.add_argument("--since", help="first local day to rebuild (YYYY-MM-DD)")

    def handle(self, *args, since=None, **options):
        day = None
        if since:
            try:
                day = datetime.date.fromisoformat(since)
            except ValueError:
                raise CommandError(f"--since: not a date (YYYY-MM-DD): {since!r}") from None
        rows = rebuild_visit_days(since=day)
        self.stdout.write(f"{rows} manager days counted" + (f" from {day}" if day else ""))
