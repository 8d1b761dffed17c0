import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from documents import services
from documents.models import LayoutPlacement
from tests.branches.factories import BankFactory, BranchFactory
from tests.documents.factories import item

pytestmark = pytest.mark.django_db


def test_a_poster_is_refused_where_the_bank_forbids_posters(manager):
    branch = BranchFactory(manager=manager, bank=BankFactory(allows_posters=False))
    with pytest.raises(ValidationError) as refused:
        services.place_item(
            branch=branch, item=item("poster"), location="大堂入口", user=manager.user
        )
    assert "宣传展板" in " ".join(refused.value.messages)
    assert not LayoutPlacement.objects.exists()


def test_a_branch_may_allow_posters_its_bank_forbids(manager):
    branch = BranchFactory(
        manager=manager, bank=BankFactory(allows_posters=False), allows_posters=True
    )
    services.place_item(branch=branch, item=item("poster"), location="大堂入口", user=manager.user)
    assert LayoutPlacement.objects.count() == 1


def test_the_layout_page_records_and_removes_a_placement(manager_client, branch):
    url = reverse("documents:layout", args=[branch.pk])
    response = manager_client.post(url, {"item": item("display_board").pk, "location": "门口"})
    assert response.status_code == 302
    placement = LayoutPlacement.objects.get()
    manager_client.post(reverse("documents:remove_placement", args=[placement.pk]))
    placement.refresh_from_db()
    assert placement.removed_on is not None


def test_the_layout_page_shows_the_poster_refusal(manager_client, manager):
    branch = BranchFactory(manager=manager, allows_posters=False)
    response = manager_client.post(
        reverse("documents:layout", args=[branch.pk]),
        {"item": item("poster").pk, "location": "门口"},
    )
    assert response.status_code == 200 and response.context["form"].errors["item"]
    assert not LayoutPlacement.objects.exists()


def test_the_layout_page_needs_a_location(manager_client, branch):
    response = manager_client.post(
        reverse("documents:layout", args=[branch.pk]), {"item": item("display_board").pk}
    )
    assert response.status_code == 200 and response.context["form"].errors["location"]


def test_layout_is_private(other_client, branch, manager):
    placement = services.place_item(
        branch=branch, item=item("acrylic_stand"), location="柜台", user=manager.user
    )
    assert other_client.get(reverse("documents:layout", args=[branch.pk])).status_code == 404
    response = other_client.post(reverse("documents:remove_placement", args=[placement.pk]))
    assert response.status_code == 404


def test_the_supervisor_sees_the_layout(supervisor_client, branch, manager):
    services.place_item(
        branch=branch, item=item("acrylic_stand"), location="柜台", user=manager.user
    )
    page = supervisor_client.get(reverse("documents:layout", args=[branch.pk]))
    assert len(page.context["placements"]) == 1


def test_the_button_takes_down_and_the_label_says_taken_down(manager_client, branch):
    url = reverse("documents:layout", args=[branch.pk])
    manager_client.post(url, {"item": item("display_board").pk, "location": "门口"})
    page = manager_client.get(url).text
    assert ">撤下</button>" in page and "已撤下" not in page
    placement = LayoutPlacement.objects.get()
    manager_client.post(reverse("documents:remove_placement", args=[placement.pk]))
    page = manager_client.get(url).text
    assert "已撤下 " in page and ">撤下</button>" not in page


def test_the_serial_pages_call_a_range_a_range_and_a_number_a_number(manager_client, branch):
    serials = manager_client.get(reverse("documents:serials", args=[branch.pk])).text
    assert '<h1 class="h4">单证号段</h1>' in serials
    collect = manager_client.get(reverse("documents:collect", args=[branch.pk]))
    assert collect.status_code == 200
    assert str(collect.context["form"].fields["serials"].label) == "单证号"
