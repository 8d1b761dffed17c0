"""On a phone: open today's checklist, log a delivery visit from it, see the item ticked."""

import pytest

from tests.browser.conftest import login

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_a_manager_logs_a_collection_visit_from_the_checklist(page, live_server):
    from django.contrib.auth.models import Group

    from accounts.access import MANAGER_GROUP
    from branches.models import Branch, Visit
    from duties.models import ChecklistItem, ChecklistTemplate, DutyTask
    from tests.branches.factories import BranchFactory
    from tests.grading.factories import AccountManagerFactory

    profile = AccountManagerFactory(user__username="wang", user__first_name="芳")
    profile.user.groups.add(Group.objects.get(name=MANAGER_GROUP))
    branch = BranchFactory(manager=profile, tier=Branch.Tier.A, name="陆家嘴支行")
    ChecklistTemplate.objects.create(
        task=DutyTask.objects.get(code="collect-forms"),
        frequency=ChecklistTemplate.Frequency.WEEKLY,
        branch_tier=Branch.Tier.A,
        fulfilment=ChecklistTemplate.Fulfilment.VISIT,
        visit_purpose=Visit.Purpose.COLLECTION,
    )

    login(page, live_server, profile.user)
    page.click(".navbar-toggler")
    page.locator("#mainnav").get_by_text("工作清单").click()
    page.wait_for_load_state("networkidle")

    item = page.locator(".checklist-item").filter(has_text="陆家嘴支行")
    assert item.get_attribute("data-done") == "0"
    item.get_by_role("link", name="记录拜访").click()
    page.wait_for_load_state("networkidle")
    # The collection purpose and the item's branch come preselected. (A delivery item offers
    # 登记配送 instead: tests/duties/test_ticking.py.)
    assert page.locator("input[name=purposes][value=collection]").is_checked()
    page.fill("textarea[name=summary]", "收取投保单并初审")
    page.get_by_role("button", name="保存拜访").click()
    page.wait_for_load_state("networkidle")

    assert page.url.endswith("/duties/")
    item = page.locator(".checklist-item").filter(has_text="陆家嘴支行")
    assert item.get_attribute("data-done") == "1"
    assert page.locator("text=拜访已登记。").is_visible()
    assert ChecklistItem.objects.get(branch=branch).done
