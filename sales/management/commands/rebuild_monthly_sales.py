"""Recount every branch's monthly sales (sales.MonthlySales) from the policies.

    manage.py rebuild_monthly_sales

The summary is kept in step by every write of sales.services (the feed import, 撤单, the
admin's deletes); this is for policies written around them (a COPY, raw SQL, a restore of
the policies alone). Running it twice gives the same table.
"""

from django.core.management.base import BaseCommand

from sales.services import rebuild_monthly_sales


class Command(BaseCommand):
    help = "Recount every branch's monthly sales from the policies."

    def handle(self, *args, **options):
        self.stdout.write(f"{rebuild_monthly_sales()} branch months counted")
