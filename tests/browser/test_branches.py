"""A manager in a bank lobby logs a visit on a phone and sees it on the branch timeline."""

import pytest

from tests.browser.conftest import login

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module", autouse=True)
def restore_role_groups(django_db_setup, django_db_blocker):
    """A live-server test flushes the database when it ends, taking the role groups that
    data migrations created with it (permissions come back through post_migrate, groups
    do not). Put the groups back so later browser tests find them."""
    from django.contrib.auth.models import Group, Permission

    with django_db_blocker.unblock():
        roles = {
            group.name: list(group.permissions.values_list("content_type__app_label", "codename"))
            for group in Group.objects.all()
        }
    yield
    with django_db_blocker.unblock():
        for name, permissions in roles.items():
            group, _created = Group.objects.get_or_create(name=name)
            for app_label, codename in permissions:
                group.permissions.add(
                    Permission.objects.get(content_type__app_label=app_label, codename=codename)
                )


@pytest.mark.django_db(transaction=True)
def test_a_manager_logs_a_visit_from_the_branch_page(page, live_server, django_db_setup):
    from django.contrib.auth.models import Group

    from accounts.access import MANAGER_GROUP
    from tests.branches.factories import BranchFactory
    from tests.grading.factories import AccountManagerFactory
    from tests.staff.factories import BranchStaffFactory

    profile = AccountManagerFactory(user__username="wang")
    # get_or_create: an earlier live-server test in the session may have flushed the roles.
    profile.user.groups.add(Group.objects.get_or_create(name=MANAGER_GROUP)[0])
    branch = BranchFactory(manager=profile, name="陆家嘴支行")
    BranchStaffFactory(branch=branch, name="李娜")

    login(page, live_server, profile.user)
    page.goto(f"{live_server.url}/branches/{branch.pk}/")
    page.click("#log-visit")
    page.wait_for_load_state("networkidle")

    # One tap saves: the Save button is on the first screen, whatever the form's length.
    save = page.locator("button[name=save]").bounding_box()
    assert save["y"] + save["height"] <= 844

    page.get_by_label("资料配送").check()
    page.get_by_label("李娜").check()
    page.fill("textarea[name=summary]", "送投保单二十份，补齐宣传彩页")
    page.click("button[name=save]")
    page.wait_for_load_state("networkidle")

    assert page.url.endswith(f"/branches/{branch.pk}/#timeline")
    assert page.locator(".alert-success").is_visible()
    timeline = page.locator("ul.timeline")
    assert "送投保单二十份" in timeline.inner_text()
    assert "资料配送" in timeline.inner_text()
    # The branch page fits the phone: nothing wider than the 390 px viewport.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
