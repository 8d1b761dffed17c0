"""On a phone: the manager's home says where to go next and why, and logs the visit from there."""

import datetime

import pytest

from tests.browser.conftest import login

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_a_manager_plans_the_day_on_a_phone(page, live_server):
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from accounts.access import MANAGER_GROUP
    from branches.models import Branch, Visit
    from tests.branches.factories import BranchFactory
    from tests.grading.factories import AccountManagerFactory
    from tests.service.factories import CaseFactory
    from tests.staff.factories import BranchStaffFactory

    profile = AccountManagerFactory(user__username="wang", user__first_name="芳")
    profile.user.groups.add(Group.objects.get(name=MANAGER_GROUP))
    overdue = BranchFactory(manager=profile, tier=Branch.Tier.A, name="陆家嘴支行")
    Branch.objects.filter(pk=overdue.pk).update(
        last_visit_at=timezone.now() - datetime.timedelta(days=12)
    )
    fresh = BranchFactory(manager=profile, tier=Branch.Tier.C, name="张江支行")
    Branch.objects.filter(pk=fresh.pk).update(last_visit_at=timezone.now())
    CaseFactory(branch=fresh, customer_name="刘女士")
    soon = timezone.localdate() + datetime.timedelta(days=2)
    BranchStaffFactory(
        branch=fresh, name="赵主任", is_key_teller=True, birth_month=soon.month, birth_day=soon.day
    )

    login(page, live_server, profile.user)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scroll

    rows = page.locator(".planner-row")
    assert rows.first.text_content().count("陆家嘴支行") == 1
    assert "拜访已逾期 5 天" in rows.first.text_content()
    assert "赵主任" in rows.nth(1).text_content()
    assert "赵主任" in page.locator("#birthdays").text_content()
    assert "刘女士" in page.locator("#cases").text_content()

    rows.first.get_by_role("link", name="记录拜访").click()
    page.wait_for_load_state("networkidle")
    page.locator("input[name=purposes][value=relationship]").check()
    page.click("button[name=save]")
    page.wait_for_load_state("networkidle")
    # Back on the home page, the branch just visited is no longer first.
    assert page.url.rstrip("/") == live_server.url
    assert Visit.objects.filter(branch=overdue).count() == 1
    assert "陆家嘴支行" not in page.locator(".planner-row").first.text_content()
