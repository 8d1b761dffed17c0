from documents import services
from documents.models import BranchStock, StockItem


def item(code="application_form"):
    """A catalogue item from the data migration."""
    return StockItem.objects.get(code=code)


def stock_at(branch, code, quantity, user, when=None):
    """A BranchStock with ``quantity`` on hand, built through the ledger like real data."""
    services.record_delivery(branch=branch, lines=[(item(code), quantity)], user=user, when=when)
    return BranchStock.objects.get(branch=branch, item__code=code)


# An 初审 review that passes every check: the tests that review forms start from it.
GOOD_REVIEW = {
    "signatures_present": True,
    "id_copy_attached": True,
    "bank_account_filled": True,
    "applicant_name": "张三",
    "applicant_age": 40,
}
