import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.db.models import Sum

from documents import services
from documents.models import BranchStock, StockMovement
from tests.documents.factories import item, stock_at

pytestmark = pytest.mark.django_db


def ledger_sum(stock):
    return stock.movements.aggregate(total=Sum("quantity"))["total"] or 0


def test_it_delivers_several_items_in_one_call(branch, manager):
    services.record_delivery(
        branch=branch,
        lines=[(item("application_form"), 100), (item("brochure"), 40)],
        user=manager.user,
    )
    stock = {row.item.code: row.on_hand for row in BranchStock.objects.filter(branch=branch)}
    assert stock == {"application_form": 100, "brochure": 40}
    assert StockMovement.objects.filter(kind="delivery").count() == 2


def test_it_adds_up_the_same_item_given_twice(branch, manager):
    services.record_delivery(
        branch=branch, lines=[(item("brochure"), 10), (item("brochure"), 5)], user=manager.user
    )
    assert BranchStock.objects.get(branch=branch).on_hand == 15


def test_a_bad_line_saves_nothing(branch, manager):
    with pytest.raises(ValidationError):
        services.record_delivery(
            branch=branch,
            lines=[(item("application_form"), 100), (item("brochure"), 0)],
            user=manager.user,
        )
    assert not StockMovement.objects.exists()
    assert not BranchStock.objects.filter(on_hand__gt=0).exists()


def test_on_hand_always_equals_the_ledger_sum(branch, manager):
    stock = stock_at(branch, "application_form", 100, manager.user)
    services.record_usage(branch_stock=stock, quantity=30, user=manager.user)
    services.record_damage(branch_stock=stock, quantity=5, user=manager.user)
    services.record_withdrawal(branch_stock=stock, quantity=10, user=manager.user)
    services.record_count(branch_stock=stock, counted=50, user=manager.user)
    stock.refresh_from_db()
    assert stock.on_hand == 50 == ledger_sum(stock)
    assert stock.last_counted_at is not None


def test_a_count_records_the_difference(branch, manager):
    stock = stock_at(branch, "brochure", 40, manager.user)
    movement = services.record_count(branch_stock=stock, counted=37, user=manager.user)
    assert (movement.kind, movement.quantity) == ("count", -3)


def test_usage_beyond_stock_is_refused_with_a_message(branch, manager):
    stock = stock_at(branch, "brochure", 5, manager.user)
    with pytest.raises(ValidationError, match="5"):
        services.record_usage(branch_stock=stock, quantity=6, user=manager.user)
    stock.refresh_from_db()
    assert stock.on_hand == 5 == ledger_sum(stock)


def test_a_write_that_bypassed_the_lock_refuses_the_usage_and_saves_nothing(
    branch, manager, monkeypatch
):
    """The locked read said 15 on hand; the row holds 5 (written around the lock): the
    guarded update changes nothing and the usage is refused with a message, not a 500."""
    stock = stock_at(branch, "brochure", 5, manager.user)
    real = services.with_state_inputs

    class Stale:
        def __init__(self, queryset, today):
            self.queryset = real(queryset, today)

        def get(self, **lookups):
            row = self.queryset.get(**lookups)
            row.on_hand += 10
            return row

    monkeypatch.setattr(services, "with_state_inputs", Stale)

    with pytest.raises(ValidationError) as refusal:
        services.record_usage(branch_stock=stock, quantity=8, user=manager.user)

    assert refusal.value.messages == ["宣传彩页 库存不足：有人同时出库了一部分。"]
    stock.refresh_from_db()
    assert stock.on_hand == 5 == ledger_sum(stock)
    assert not stock.movements.filter(kind=StockMovement.Kind.USAGE).exists()


def test_the_database_refuses_negative_stock(branch, manager):
    stock = stock_at(branch, "brochure", 5, manager.user)
    with pytest.raises(IntegrityError), transaction.atomic():
        BranchStock.objects.filter(pk=stock.pk).update(on_hand=-1)


def test_movements_are_append_only(branch, manager):
    stock = stock_at(branch, "brochure", 5, manager.user)
    movement = stock.movements.get()
    movement.quantity = 50
    with pytest.raises(ValueError):
        movement.save()


def test_check_stock_passes_on_a_consistent_ledger(branch, manager, capsys):
    stock_at(branch, "brochure", 5, manager.user)
    call_command("check_stock")
    assert "1 stock figures match" in capsys.readouterr().out


def test_check_stock_reports_a_difference(branch, manager, capsys):
    stock = stock_at(branch, "brochure", 5, manager.user)
    BranchStock.objects.filter(pk=stock.pk).update(on_hand=7)
    with pytest.raises(CommandError):
        call_command("check_stock")
    assert "difference +2" in capsys.readouterr().out
