"""On a phone: the manager sees this month against target at home and on a branch's page."""

import datetime
from decimal import Decimal

import pytest

from tests.browser.conftest import login

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_a_manager_sees_results_against_plan_on_a_phone(page, live_server):
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from accounts.access import MANAGER_GROUP
    from tests.branches.factories import BranchFactory, PlanTargetFactory
    from tests.grading.factories import AccountManagerFactory
    from tests.sales.factories import PolicyFactory

    profile = AccountManagerFactory(user__username="wang", user__first_name="芳")
    profile.user.groups.add(Group.objects.get(name=MANAGER_GROUP))
    branch = BranchFactory(manager=profile, name="陆家嘴支行")
    first = timezone.localdate().replace(day=1)
    PlanTargetFactory(
        branch=branch,
        period_start=first,
        period_end=first + datetime.timedelta(days=27),
        premium_target=Decimal("200000"),
        policy_count_target=10,
    )
    PolicyFactory(branch=branch, signed_on=first, premium=Decimal("50000"))

    login(page, live_server, profile.user)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scroll
    month = page.locator("#sales-month")
    assert "25.0%" in month.text_content()  # 50,000 of 200,000
    figures = month.text_content().replace(",", "")
    assert "50000" in figures and "200000" in figures
    # A width class in 5 % steps: the CSP allows no style="" attribute.
    assert "bd-w-25" in month.locator(".progress-bar").get_attribute("class")

    page.goto(f"{live_server.url}/branches/{branch.pk}/")
    panel = page.locator("#branch-sales")
    panel.scroll_into_view_if_needed()
    assert panel.is_visible()
    assert "25.0%" in panel.locator('[data-period="month"]').text_content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
