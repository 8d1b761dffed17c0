"""Verify the stock ledger: every on-hand figure must equal the sum of its movements."""

from django.core.management.base import BaseCommand, CommandError
from django.db.models import IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from documents.models import BranchStock, StockMovement


class Command(BaseCommand):
    help = "Check that each branch's on-hand stock equals the sum of its ledger; exit 1 if not."

    def handle(self, *args, **options):
        ledger = (
            StockMovement.objects.filter(branch_stock=OuterRef("pk"))
            .order_by()
            .values("branch_stock")
            .annotate(total=Sum("quantity"))
            .values("total")
        )
        rows = (
            BranchStock.objects.annotate(
                ledger_total=Coalesce(
                    Subquery(ledger, output_field=IntegerField()),
                    Value(0),
                    output_field=IntegerField(),
                )
            )
            .select_related("branch__bank", "item")
            .order_by("pk")
        )
        checked = 0
        mismatches = 0
        for row in rows.iterator(chunk_size=2000):
            checked += 1
            if row.on_hand != row.ledger_total:
                mismatches += 1
                self.stdout.write(
                    f"MISMATCH {row} (#{row.pk}): on hand {row.on_hand}, "
                    f"ledger {row.ledger_total}, difference {row.on_hand - row.ledger_total:+d}"
                )
        if mismatches:
            raise CommandError(f"{mismatches} of {checked} stock figures differ from the ledger.")
        self.stdout.write(self.style.SUCCESS(f"{checked} stock figures match the ledger."))
