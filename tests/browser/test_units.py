"""On a desktop: the province head drills down from the province to one branch (issue 17)."""

import pytest

from tests.browser.conftest import login

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_the_province_head_drills_from_the_province_to_a_branch(
    desktop_page, live_server, org, manager, other_manager
):
    from tests.branches.factories import BranchFactory, VisitFactory

    page = desktop_page
    branch = BranchFactory(manager=manager, name="天河路支行")
    BranchFactory(manager=other_manager, name="福田支行")
    VisitFactory(branch=branch)

    login(page, live_server, org.province_head)
    page.goto(f"{live_server.url}/desk/team/")
    assert page.locator(".unit-row").count() == 2  # one row per city

    page.locator("#unit-table").get_by_role("link", name=org.city.name).click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").first.text_content().startswith(org.city.name)
    page.locator("#unit-table").get_by_role("link", name=org.team.name).click()
    page.wait_for_load_state("networkidle")
    row = page.locator(".manager-row")
    assert row.count() == 1
    assert row.locator("td").first.text_content().strip() == "1"  # this week's visit
    row.get_by_role("link", name=manager.display_name).click()
    page.wait_for_load_state("networkidle")
    assert "福田支行" not in page.content()
    page.get_by_role("link", name="天河路支行").first.click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(f"/branches/{branch.pk}/")
    assert "天河路支行" in page.locator("h1").first.text_content()
    # The trail leads back to the province.
    page.go_back()
    page.go_back()
    page.locator("#unit-trail").get_by_role("link", name=org.province.name).click()
    page.wait_for_load_state("networkidle")
    assert page.locator(".unit-row").count() == 2
