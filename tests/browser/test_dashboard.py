"""On a desktop: the supervisor sorts the team table and reads both charts and their tables."""

import pytest

from tests.browser.conftest import login

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_a_supervisor_reads_the_team_dashboard(desktop_page, live_server):
    from django.contrib.auth.models import Group

    from accounts.access import MANAGER_GROUP, SUPERVISOR_GROUP
    from tests.branches.factories import BranchFactory, VisitFactory
    from tests.grading.factories import AccountManagerFactory, UserFactory

    page = desktop_page
    boss = UserFactory(username="zhou", first_name="敏", last_name="周", is_staff=True)
    boss.groups.add(Group.objects.get(name=SUPERVISOR_GROUP))
    quiet = AccountManagerFactory(supervisor=boss, user__first_name="静", user__last_name="安")
    busy = AccountManagerFactory(supervisor=boss, user__first_name="忙", user__last_name="陈")
    for member in (quiet, busy):
        member.user.groups.add(Group.objects.get(name=MANAGER_GROUP))
    branch = BranchFactory(manager=busy)
    for _index in range(3):
        VisitFactory(branch=branch)

    login(page, live_server, boss)
    page.locator("#dashboard-offer").get_by_role("link").click()
    page.wait_for_load_state("networkidle")

    table = page.locator("#team-table")
    table.get_by_role("link", name="本周拜访").click()
    page.wait_for_load_state("networkidle")
    table.get_by_role("link", name="本周拜访").click()  # the second click sorts descending
    page.wait_for_load_state("networkidle")
    assert "sort=-visits" in page.url
    first = page.locator(".manager-row").first
    assert first.get_attribute("data-manager") == str(busy.pk)
    assert first.locator("td").first.text_content().strip() == "3"

    assert page.locator("#weeks svg .bar").count() == 12
    assert page.locator("#grades svg .bar").count() == 10
    page.locator("#weeks summary").click()
    last_week = page.locator("#weeks-table tbody tr").last
    assert last_week.locator("td").last.text_content() == "3"
