"""Stock taken out of a branch with no signal (issue 19): the usage form of the offline page,
queued, applied once; one that would take the stock below zero comes back refused."""

import pytest

from tests.browser.test_offline import _manager, _signed_in_and_ready, phone  # noqa: F401

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_usage_recorded_offline_is_applied_once_and_too_much_is_refused(
    phone,  # noqa: F811
    live_server,
):
    from documents.models import BranchStock, StockMovement
    from tests.branches.factories import BranchFactory
    from tests.documents.factories import stock_at

    context, page = phone
    profile = _manager("qian")
    branch = BranchFactory(manager=profile, name="外滩支行")
    stock = stock_at(branch, "brochure", 10, profile.user)
    _signed_in_and_ready(page, live_server, profile.user)

    context.set_offline(True)
    # The stock page cannot load: the offline page opens its usage form from the stored data.
    page.goto(f"{live_server.url}/documents/stock/{stock.pk}/")
    page.wait_for_function("() => document.documentElement.dataset.offlinePage === 'rendered'")
    sheet = page.locator("#movement-sheet")
    assert sheet.is_visible()
    assert "10" in sheet.locator(".on-hand").inner_text()
    sheet.locator("select[name=kind]").select_option("usage")
    sheet.locator("input[name=quantity]").fill("4")
    sheet.get_by_role("button", name="保存", exact=True).click()
    page.wait_for_function("() => document.getElementById('outbox-count').textContent === '1'")

    # A second one, from the branch's stock list, more than what will be left.
    page.locator(f'.offline-branch[data-branch="{branch.pk}"] summary').click()
    page.locator(f'.offline-branch[data-branch="{branch.pk}"] .open-movement').first.click()
    sheet.locator("select[name=kind]").select_option("withdrawal")
    sheet.locator("input[name=quantity]").fill("8")
    sheet.get_by_role("button", name="保存", exact=True).click()
    page.wait_for_function("() => document.getElementById('outbox-count').textContent === '2'")
    kinds = page.locator("#outbox-list li[data-status=pending]")
    assert kinds.count() == 2
    assert "物料领用或回收" in kinds.first.inner_text()

    context.set_offline(False)
    refused = page.locator("#outbox-list li[data-status=refused]")
    refused.wait_for()
    assert "仅剩 6 份，不能出库 8。" in refused.inner_text()
    assert BranchStock.objects.get(pk=stock.pk).on_hand == 6
    assert StockMovement.objects.filter(branch_stock=stock, kind="usage").count() == 1
    assert not StockMovement.objects.filter(branch_stock=stock, kind="withdrawal").exists()
