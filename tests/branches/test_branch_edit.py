import pytest
from django.urls import reverse

from branches.models import Branch

pytestmark = pytest.mark.django_db


def _url(branch):
    return reverse("branches:edit", args=[branch.pk])


def test_a_manager_records_the_poster_policy_and_layout(manager_client, branch):
    response = manager_client.post(
        _url(branch),
        {
            "address": "南京东路1号",
            "district": "黄浦区",
            "phone": "021-63218888",
            "allows_posters": "false",
            "layout_notes": "大堂左侧放有机玻璃架",
        },
        follow=True,
    )
    branch.refresh_from_db()
    assert branch.posters_allowed is False
    assert "大堂左侧放有机玻璃架" in response.content.decode()
    assert "不允许张贴海报" in response.content.decode()


def test_a_bad_landline_is_refused(manager_client, branch):
    response = manager_client.post(
        _url(branch), {"phone": "12-34", "allows_posters": "unknown", "district": "黄浦区"}
    )
    assert response.context["form"].errors["phone"]
    assert Branch.objects.get(pk=branch.pk).phone == ""


def test_branch_edit_is_scoped(client, branch, manager, supervisor, other_manager):
    for user, status in ((manager.user, 200), (supervisor, 200), (other_manager.user, 404)):
        client.force_login(user)
        assert client.get(_url(branch)).status_code == status
    response = client.post(_url(branch), {"layout_notes": "改", "allows_posters": "true"})
    assert response.status_code == 404
