"""Run the morning reminders now, in this process: for operations, or where no worker runs."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from reminders import birthdays, services, stock, weekly


class Command(BaseCommand):
    help = (
        "Plan and send the birthday and stock reminders synchronously (the same code as the "
        "07:30 and 08:00 Celery tasks), or with --kind weekly the Monday digest. Safe to "
        "repeat: each email has a dedupe key."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--kind", choices=["stock", "birthdays", "weekly"], help="Only this kind."
        )
        parser.add_argument("--date", help="Run as if today were YYYY-MM-DD (Asia/Shanghai).")
        parser.add_argument(
            "--dry-run", action="store_true", help="List who would get what; send nothing."
        )

    def handle(self, *args, kind=None, date=None, dry_run=False, **options):
        try:
            today = datetime.date.fromisoformat(date) if date else None
        except ValueError:
            raise CommandError(f"--date must be YYYY-MM-DD, not {date!r}") from None
        planned = []
        if kind in (None, "birthdays"):
            planned += birthdays.plan(today=today)
        if kind in (None, "stock"):
            planned += stock.plan_daily(today=today)
        # Weekly, not part of the daily run: only when asked for (the beat runs it on Mondays).
        if kind == "weekly":
            planned += weekly.plan(today=today)
        if dry_run:
            for reminder in planned:
                self.stdout.write(f"would send {reminder.describe()}")
            self.stdout.write(f"{len(planned)} reminder(s) planned, nothing sent (dry run).")
            return
        with transaction.atomic():
            created = services.queue_planned(planned_reminders=planned, enqueue=False)
        results = [services.deliver(notification_id=notification.pk) for notification in created]
        sent = results.count("sent")
        failed = results.count("failed")
        self.stdout.write(
            f"{len(planned)} planned, {len(created)} new, {sent} sent, {failed} failed "
            f"({len(planned) - len(created)} skipped: already sent, switched off or no email)."
        )
        if failed:
            raise CommandError(f"{failed} email(s) could not be sent: see the admin's outbox.")
