from documents import services
from documents.models import BranchStock, StockItem


def item(code="application_form"):
    """A catalogue item from the data migration."""
    return StockItem.objects.get(code=code)


def stock_at(branch, code, quantity, user, when=None):
    """A BranchStock with ``quantity`` on hand, built through the ledger like real data."""
    services.record_delivery(branch=branch, lines=[(item(code), quantity)], user=user, when=when)
    return BranchStock.objects.get(branch=branch, item__code=code)
