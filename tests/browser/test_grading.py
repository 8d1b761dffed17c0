"""A supervisor approves an assessment in the admin; the manager then sees the new level."""

import pytest

from tests.browser.conftest import login

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module", autouse=True)
def _restore_migrated_rows(django_db_blocker):
    """Put the data-migration rows (levels, groups) back once this module is done.

    A transactional test ends with a flush, which would leave the browser tests that run
    after this one without the levels and groups every manager needs.
    """
    yield
    from django.db import connection

    contents = getattr(connection, "_test_serialized_contents", None)
    if contents:
        with django_db_blocker.unblock():
            connection.creation.deserialize_db_from_string(contents)


# serialized_rollback: the levels and groups come from data migrations, which a transactional
# test database would otherwise have flushed away by the time this test runs.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_supervisor_approves_and_the_manager_sees_the_new_level(desktop_page, live_server):
    from decimal import Decimal

    from django.contrib.auth.models import Group
    from django.utils import translation

    from grading import services
    from grading.access import MANAGER_GROUP, SUPERVISOR_GROUP
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
