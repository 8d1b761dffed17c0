"""The shell on a phone: Chinese first, English on request."""

import pytest

from tests.browser.conftest import login

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_it_greets_in_chinese_then_switches_to_english(page, live_server, django_db_setup):
    from django.contrib.auth.models import Group

    from accounts.access import MANAGER_GROUP
    from tests.grading.factories import AccountManagerFactory

    profile = AccountManagerFactory(user__username="wang", user__first_name="芳")
    profile.user.groups.add(Group.objects.get(name=MANAGER_GROUP))

    login(page, live_server, profile.user)
    assert page.locator("h1").inner_text().startswith("您好")
    assert page.locator("html").get_attribute("lang") == "zh-hans"

    page.click("button[name=language][value=en]")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text().startswith("Hello")
    assert page.locator("html").get_attribute("lang") == "en"
    # The menu collapses behind the toggler on a phone and opens on tap.
    page.click(".navbar-toggler")
    assert page.locator("#mainnav").get_by_text("Branches").is_visible()
