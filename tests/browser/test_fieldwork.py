"""A manager at a demo branch checks in with the phone's position and submits the day's log."""

import pytest

from tests.browser.conftest import PHONE, login
from tests.browser.test_branches import restore_role_groups  # noqa: F401  (module fixture)

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_check_in_at_a_branch_and_submit_the_days_log(browser, live_server, django_db_setup):
    from decimal import Decimal

    from django.contrib.auth.models import Group

    from accounts.access import MANAGER_GROUP
    from branches.demo import DEMO_POSITIONS
    from tests.branches.factories import BranchFactory
    from tests.grading.factories import AccountManagerFactory

    latitude, longitude = DEMO_POSITIONS["南京东路支行"]
    profile = AccountManagerFactory(user__username="zhao")
    profile.user.groups.add(Group.objects.get_or_create(name=MANAGER_GROUP)[0])
    branch = BranchFactory(
        manager=profile,
        name="南京东路支行",
        latitude=Decimal(latitude),
        longitude=Decimal(longitude),
    )

    # The phone stands in the lobby, about 40 m from the branch's coordinates.
    context = browser.new_context(
        viewport=PHONE,
        locale="zh-CN",
        permissions=["geolocation"],
        geolocation={
            "latitude": float(latitude) + 0.00036,
            "longitude": float(longitude),
            "accuracy": 15,
        },
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        login(page, live_server, profile.user)
        page.goto(f"{live_server.url}/branches/{branch.pk}/visits/new/")
        page.wait_for_selector("#checkin-status[data-state=success]")
        assert page.input_value("input[name=latitude]").startswith(latitude[:6])
        page.get_by_label("关系维护").check()
        page.fill("textarea[name=summary]", "拜访网点主任")
        page.click("button[name=save]")
        page.wait_for_load_state("networkidle")

        page.click("#timeline a[href*='/branches/visits/']")
        page.wait_for_load_state("networkidle")
        assert page.inner_text("#checkin-status") == "网点现场"
        assert "离网点 40 米" in page.inner_text("#checkin-distance")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

        page.goto(f"{live_server.url}/")
        page.click("#home-work-log")
        page.wait_for_load_state("networkidle")
        assert branch.name in page.inner_text("#log-entries")
        page.fill("textarea[name=notes]", "与网点主任商定下周的咨询日")
        page.fill("textarea[name=tomorrow_plan]", "去陆家嘴支行")
        page.click("#submit-log")
        page.wait_for_load_state("networkidle")
        assert page.is_visible("#log-submitted")
        assert "与网点主任商定下周的咨询日" in page.inner_text("#log-notes")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    finally:
        context.close()
