"""A supervisor approves an assessment in the admin; the manager then sees the new level."""

import pytest

from tests.browser.conftest import login

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_supervisor_approves_and_the_manager_sees_the_new_level(desktop_page, live_server):
    from decimal import Decimal

    from django.contrib.auth.models import Group
    from django.utils import translation

    from accounts.access import MANAGER_GROUP, SUPERVISOR_GROUP
    from grading import services
    from tests.grading.factories import (
        AccountManagerFactory,
        AssessmentPeriodFactory,
        LevelStandardFactory,
        SalesFigureFactory,
        UserFactory,
        level,
    )

    supervisor = UserFactory(username="zhou", is_staff=True)
    supervisor.groups.add(Group.objects.get(name=SUPERVISOR_GROUP))
    manager = AccountManagerFactory(user__username="wang", supervisor=supervisor)
    manager.user.groups.add(Group.objects.get(name=MANAGER_GROUP))
    period = AssessmentPeriodFactory(name="2026Q4")
    LevelStandardFactory(level=level(1), keep_premium=Decimal("50000"))
    SalesFigureFactory(manager=manager, period=period, premium=Decimal("80000"))
    (assessment,) = services.generate_assessments(period, supervisor)

    page = desktop_page
    login(page, live_server, supervisor)
    page.goto(f"{live_server.url}/admin/grading/assessment/")
    page.check(f"input[name=_selected_action][value='{assessment.pk}']")
    page.select_option("select[name=action]", "approve_as_recommended")
    # The admin's changelist keeps a connection open after the redirect, so wait for the
    # success message rather than for the navigation to settle.
    page.click("button[name=index]", no_wait_after=True)
    page.wait_for_selector(".messagelist .success")

    page.context.clear_cookies()  # sign the supervisor out
    login(page, live_server, manager.user)
    page.goto(f"{live_server.url}/grading/my-level/")
    with translation.override("zh-hans"):
        expected = str(level(2))
    assert page.locator("#current-level").inner_text().strip() == expected
    assert expected in page.locator(".list-group").last.inner_text()
