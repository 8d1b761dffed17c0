"""Stock usage and withdrawals recorded offline: applied once, refused when the branch's
stock would go below zero (used up meanwhile), through the stock page's own form."""

from django.urls import reverse

from documents.models import BranchStock, StockMovement
from offline.selectors import snapshot_for
from tests.branches.factories import BranchFactory
from tests.documents.factories import stock_at
from tests.offline.test_sync import record, send


def movement_fields(kind="usage", quantity="3", note="大堂用掉"):
    return [["kind", kind], ["quantity", quantity], ["note", note]]


def test_usage_sent_twice_takes_stock_out_once(manager_client, manager, branch):
    stock = stock_at(branch, "brochure", 10, manager.user)
    sent = record("movement", stock.pk, movement_fields("usage", "3"))

    first = send(manager_client, sent).json()["results"][0]
    second = send(manager_client, sent).json()["results"][0]

    assert first == second
    assert first["status"] == "accepted"
    assert first["url"] == reverse("documents:movements", args=[stock.pk])
    stock.refresh_from_db()
    assert stock.on_hand == 7
    usage = stock.movements.get(kind=StockMovement.Kind.USAGE)
    assert (usage.quantity, usage.note, usage.recorded_by) == (-3, "大堂用掉", manager.user)


def test_a_withdrawal_beyond_the_stock_is_refused_with_the_reason(manager_client, manager, branch):
    stock = stock_at(branch, "brochure", 5, manager.user)

    result = send(manager_client, record("movement", stock.pk, movement_fields("withdrawal", "8")))

    answer = result.json()["results"][0]
    assert answer["status"] == "refused"
    assert "仅剩 5 份，不能出库 8。" in answer["reason"]
    stock.refresh_from_db()
    assert stock.on_hand == 5
    assert not stock.movements.exclude(kind=StockMovement.Kind.DELIVERY).exists()


def test_stock_used_up_meanwhile_refuses_the_second_of_two_records(manager_client, manager, branch):
    """Two records queued offline that each fit the stock the phone knew; together they do
    not: the first is applied, the second comes back with the reason."""
    stock = stock_at(branch, "brochure", 5, manager.user)
    one = record("movement", stock.pk, movement_fields("usage", "4"))
    two = record("movement", stock.pk, movement_fields("withdrawal", "4"))

    results = send(manager_client, one, two).json()["results"]

    assert [r["status"] for r in results] == ["accepted", "refused"]
    stock.refresh_from_db()
    assert stock.on_hand == 1


def test_the_refusal_is_in_english_for_an_english_user(manager_client, manager, branch):
    stock = stock_at(branch, "brochure", 2, manager.user)

    result = send(
        manager_client, record("movement", stock.pk, movement_fields("usage", "3")), language="en"
    ).json()["results"][0]

    assert result["status"] == "refused"
    assert "cannot take out 3" in result["reason"]


def test_a_bad_quantity_is_refused(manager_client, manager, branch):
    stock = stock_at(branch, "brochure", 5, manager.user)

    result = send(manager_client, record("movement", stock.pk, movement_fields("usage", "0")))

    assert result.json()["results"][0]["status"] == "refused"
    assert BranchStock.objects.get(pk=stock.pk).on_hand == 5


def test_another_managers_stock_is_refused(manager_client, other_manager):
    theirs = stock_at(BranchFactory(manager=other_manager), "brochure", 5, other_manager.user)

    result = send(manager_client, record("movement", theirs.pk, movement_fields()))

    answer = result.json()["results"][0]
    assert answer["status"] == "refused"
    assert answer["reason"] == "这个网点已不在你的名下，记录未保存。"
    theirs.refresh_from_db()
    assert theirs.on_hand == 5


def test_the_stock_page_form_is_queued_offline_and_the_snapshot_names_its_row(
    manager_client, manager, branch
):
    stock = stock_at(branch, "brochure", 5, manager.user)

    page = manager_client.get(reverse("documents:movements", args=[stock.pk])).content.decode()

    assert f'data-offline-kind="movement" data-offline-target="{stock.pk}"' in page
    rows = snapshot_for(manager.user)["branches"][0]["stock"]
    assert [row["id"] for row in rows if row["item"] == "brochure"] == [stock.pk]


def test_the_stock_page_still_records_online(manager_client, manager, branch):
    stock = stock_at(branch, "brochure", 5, manager.user)

    response = manager_client.post(
        reverse("documents:movements", args=[stock.pk]),
        {"kind": "usage", "quantity": "9", "note": ""},
    )

    assert response.status_code == 200
    assert "仅剩 5 份，不能出库 9。" in response.content.decode()
    stock.refresh_from_db()
    assert stock.on_hand == 5
