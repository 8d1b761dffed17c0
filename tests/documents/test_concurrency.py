"""Two managers withdrawing at the same moment on PostgreSQL (real threads, real locks)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from documents import services
from documents.models import BranchStock
from tests.documents.factories import stock_at


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL (CI runs it there)"
)
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_withdrawals_never_go_below_zero(branch, manager):
    stock = stock_at(branch, "brochure", 10, manager.user)
    barrier = threading.Barrier(2)
    outcomes = []

    def withdraw():
        try:
            barrier.wait()
            services.record_withdrawal(branch_stock=stock, quantity=7, user=manager.user)
            outcomes.append("ok")
        except ValidationError as error:
            outcomes.append(" ".join(error.messages))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=withdraw) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert outcomes.count("ok") == 1
    refusal = next(outcome for outcome in outcomes if outcome != "ok")
    assert "3" in refusal and "7" in refusal  # names what is left and what was asked
    stock = BranchStock.objects.get(pk=stock.pk)
    assert stock.on_hand == 3
    assert sum(stock.movements.values_list("quantity", flat=True)) == 3
