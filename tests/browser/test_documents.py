"""A manager records a delivery of several items on a phone and sees the branch panel update."""

import pytest

from tests.browser.conftest import login

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_a_multi_item_delivery_from_the_branch_page(page, live_server, django_db_setup):
    from django.contrib.auth.models import Group

    from accounts.access import MANAGER_GROUP
    from branches.models import Visit
    from documents.models import BranchStock
    from tests.branches.factories import BranchFactory
    from tests.grading.factories import AccountManagerFactory

    profile = AccountManagerFactory(user__username="wang")
    profile.user.groups.add(Group.objects.get(name=MANAGER_GROUP))
    branch = BranchFactory(manager=profile)

    login(page, live_server, profile.user)
    page.goto(f"{live_server.url}/branches/{branch.pk}/")
    panel = page.locator("#stock-panel")
    assert panel.locator("li[data-item]").count() == 0

    panel.get_by_role("link", name="登记配送").click()
    page.wait_for_load_state("networkidle")
    # One labelled line per catalogue item; fill the application forms and the brochures.
    assert page.locator("li.delivery-line").count() == 7
    page.get_by_label("投保单").fill("120")
    page.get_by_label("宣传彩页").fill("30")
    save = page.get_by_role("button", name="保存配送")
    assert save.bounding_box()["width"] <= 390
    save.click()
    page.wait_for_load_state("networkidle")

    assert page.url.endswith(f"/branches/{branch.pk}/")
    panel = page.locator("#stock-panel")
    assert panel.locator("li[data-item=application_form] .on-hand").inner_text() == "120"
    assert panel.locator("li[data-item=brochure] .on-hand").inner_text() == "30"
    assert panel.locator("li[data-item=brochure] [data-state]").get_attribute("data-state") == "low"
    assert dict(BranchStock.objects.values_list("item__code", "on_hand")) == {
        "application_form": 120,
        "brochure": 30,
    }
    assert Visit.objects.get(branch=branch).purposes == ["delivery"]
