"""A case on a phone: opened from the branch page, resolved, and seen on the branch timeline."""

import pytest

from tests.browser.conftest import login

pytestmark = pytest.mark.browser


def _action(page, name):
    return page.locator(f"#case-actions form:has(input[name=action][value={name}]) button")


@pytest.mark.django_db(transaction=True)
def test_a_case_opened_from_the_branch_page_is_resolved_and_on_the_timeline(
    page, live_server, django_db_setup
):
    from django.contrib.auth.models import Group

    from accounts.access import MANAGER_GROUP
    from service.models import Case
    from tests.branches.factories import BranchFactory
    from tests.grading.factories import AccountManagerFactory

    profile = AccountManagerFactory(user__username="wang", user__first_name="芳")
    # get_or_create: an earlier transactional browser test flushes the groups that the data
    # migrations made, whichever test ran first.
    group, _created = Group.objects.get_or_create(name=MANAGER_GROUP)
    profile.user.groups.add(group)
    branch = BranchFactory(manager=profile, name="南京东路支行")

    login(page, live_server, profile.user)
    page.goto(f"{live_server.url}/branches/{branch.pk}/")
    page.click("#branch-cases a.btn")
    page.fill("input[name=customer_name]", "刘女士")
    page.fill("input[name=customer_mobile]", "13912340001")
    page.select_option("select[name=kind]", "complaint")
    page.fill("textarea[name=description]", "对分红不满")
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")

    case = Case.objects.get()
    assert page.url.endswith(f"/service/{case.pk}/")
    assert page.locator("#case-status").inner_text() == "新建"

    _action(page, "start").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#case-status").inner_text() == "处理中"

    page.fill("#case-actions textarea[name=resolution]", "已向客户解释分红规则")
    _action(page, "resolve").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#case-status").inner_text() == "已解决"
    # The buttons fit a 390 px screen: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.click(f"a[href='/branches/{branch.pk}/']")
    page.wait_for_load_state("networkidle")
    timeline = page.locator("ul.timeline").inner_text()
    # The case's kind, customer and new status, as the timeline writes a case event.
    assert "投诉 · 刘女士 — 已解决" in timeline
    assert "已向客户解释分红规则" in timeline
