"""The admin's list of apps and models (index and sidebar) is kept, never stale."""

import pytest
from django.contrib import admin
from django.contrib.admin import AdminSite
from django.contrib.auth.models import Permission
from django.urls import reverse

from tests.grading.factories import UserFactory

pytestmark = pytest.mark.django_db

INDEX = reverse("admin:index")
BRANCHES = reverse("admin:branches_branch_changelist")


@pytest.fixture
def builds(monkeypatch):
    """How many times the site built the app list from the registry."""
    admin.site._kept_app_lists.clear()
    counted = []
    build = AdminSite._build_app_dict

    def counting(site, request, label=None):
        counted.append(request.user.username)
        return build(site, request, label)

    monkeypatch.setattr(AdminSite, "_build_app_dict", counting)
    return counted


def _grant(user, codename):
    user.user_permissions.add(Permission.objects.get(codename=codename))


def test_a_permission_granted_or_taken_shows_on_the_next_page(client, builds):
    clerk = UserFactory(username="clerk", is_staff=True)
    client.force_login(clerk)
    assert BRANCHES not in client.get(INDEX).content.decode()

    _grant(clerk, "view_branch")
    assert BRANCHES in client.get(INDEX).content.decode()

    clerk.user_permissions.clear()
    assert BRANCHES not in client.get(INDEX).content.decode()


def test_a_user_made_superuser_sees_everything_at_once(client, builds):
    clerk = UserFactory(username="clerk", is_staff=True)
    client.force_login(clerk)
    assert BRANCHES not in client.get(INDEX).content.decode()
    clerk.is_superuser = True
    clerk.save()
    assert BRANCHES in client.get(INDEX).content.decode()


def test_each_language_has_its_own_names(client, superuser, builds):
    client.force_login(superuser)
    assert ">网点</a>" in client.get(INDEX).content.decode()
    client.cookies["django_language"] = "en"
    english = client.get(INDEX).content.decode()
    assert ">Branches</a>" in english and ">网点</a>" not in english
    client.cookies["django_language"] = "zh-hans"
    assert ">网点</a>" in client.get(INDEX).content.decode()


def test_users_who_may_do_the_same_share_one_list(client, supervisor, other_supervisor, builds):
    change_form = reverse("admin:branches_branch_changelist")
    for user in (supervisor, other_supervisor):
        client.force_login(user)
        assert client.get(INDEX).status_code == 200
        assert client.get(change_form).status_code == 200
    assert builds == ["supervisor"]  # built for the first page, then kept


def test_a_changed_list_is_not_the_kept_one(rf, superuser, builds):
    request = rf.get(INDEX)
    request.user = superuser
    first = admin.site.get_app_list(request)
    first[0]["models"].clear()
    first.clear()
    again = admin.site.get_app_list(request)
    assert again and again[0]["models"]
    assert builds == ["root"]
