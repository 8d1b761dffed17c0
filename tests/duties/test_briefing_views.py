import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from duties.models import BriefingDelivery
from tests.branches.factories import BranchFactory, VisitFactory
from tests.duties.factories import BriefingDeliveryFactory, PolicyBriefingFactory
from tests.staff.factories import BranchStaffFactory


def test_the_briefing_list_and_detail_load(manager_client):
    briefing = PolicyBriefingFactory(title="新产品上柜")
    assert "新产品上柜" in manager_client.get(reverse("duties:briefing_list")).text
    response = manager_client.get(reverse("duties:briefing_detail", args=[briefing.pk]))
    assert response.status_code == 200


def test_a_manager_records_a_delivery(manager_client, manager, branch):
    briefing = PolicyBriefingFactory()
    teller = BranchStaffFactory(branch=branch)
    visit = VisitFactory(branch=branch)
    response = manager_client.post(
        reverse("duties:delivery_create", args=[briefing.pk]),
        {
            "branch": branch.pk,
            "delivered_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "staff_briefed": [teller.pk],
            "visit": visit.pk,
        },
    )
    assert response.url == reverse("duties:briefing_detail", args=[briefing.pk])
    delivery = BriefingDelivery.objects.get()
    assert (delivery.branch, delivery.delivered_by, delivery.visit) == (branch, manager, visit)
    assert list(delivery.staff_briefed.all()) == [teller]


def test_a_delivery_of_an_expired_briefing_is_refused(manager_client, branch):
    briefing = PolicyBriefingFactory(
        valid_from=timezone.localdate() - datetime.timedelta(days=30),
        valid_to=timezone.localdate() - datetime.timedelta(days=1),
    )
    response = manager_client.post(
        reverse("duties:delivery_create", args=[briefing.pk]),
        {"branch": branch.pk, "delivered_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")},
    )
    assert response.status_code == 200 and "invalid-feedback" in response.text
    assert not BriefingDelivery.objects.exists()


def test_a_delivery_with_staff_of_another_branch_is_refused(manager_client, manager, branch):
    briefing = PolicyBriefingFactory()
    elsewhere = BranchStaffFactory(branch=BranchFactory(manager=manager))
    response = manager_client.post(
        reverse("duties:delivery_create", args=[briefing.pk]),
        {
            "branch": branch.pk,
            "delivered_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "staff_briefed": [elsewhere.pk],
        },
    )
    assert "invalid-feedback" in response.text
    assert not BriefingDelivery.objects.exists()


def test_a_manager_cannot_brief_another_managers_branch(manager_client):
    briefing = PolicyBriefingFactory()
    foreign = BranchFactory()
    response = manager_client.post(
        reverse("duties:delivery_create", args=[briefing.pk]),
        {"branch": foreign.pk, "delivered_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")},
    )
    assert response.status_code == 200
    assert not BriefingDelivery.objects.exists()


def test_delivery_create_is_404_for_a_supervisor_and_a_missing_briefing(supervisor_client, manager):
    briefing = PolicyBriefingFactory()
    assert (
        supervisor_client.get(reverse("duties:delivery_create", args=[briefing.pk])).status_code
        == 404
    )
    assert supervisor_client.get(reverse("duties:briefing_detail", args=[999])).status_code == 404


def test_deliveries_on_the_detail_page_are_scoped(client, manager, other_manager, supervisor):
    briefing = PolicyBriefingFactory()
    BriefingDeliveryFactory(
        briefing=briefing, branch=BranchFactory(manager=manager, name="我的网点")
    )
    BriefingDeliveryFactory(
        briefing=briefing, branch=BranchFactory(manager=other_manager, name="别人网点")
    )
    url = reverse("duties:briefing_detail", args=[briefing.pk])
    for user, sees in (
        (manager.user, "我的网点"),
        (supervisor, "我的网点"),
        (other_manager.user, "别人网点"),
    ):
        client.force_login(user)
        text = client.get(url).text
        assert sees in text
        assert ({"我的网点", "别人网点"} - {sees}).pop() not in text


def test_coverage_lists_my_branches_not_yet_briefed(manager_client, manager):
    briefing = PolicyBriefingFactory(title="激励方案")
    PolicyBriefingFactory(
        title="已过期", valid_to=timezone.localdate() - datetime.timedelta(days=1)
    )
    briefed = BranchFactory(manager=manager, name="已宣导支行")
    BranchFactory(manager=manager, name="未宣导支行")
    BranchFactory(name="别人的支行")
    BriefingDeliveryFactory(briefing=briefing, branch=briefed)

    response = manager_client.get(reverse("duties:coverage"))

    text = response.text
    assert "激励方案" in text and "已过期" not in text
    assert "未宣导支行" in text
    assert "已宣导支行" not in text and "别人的支行" not in text
    assert "1/2" in text


def test_coverage_for_a_supervisor_covers_the_team(supervisor_client, manager, other_manager):
    PolicyBriefingFactory()
    BranchFactory(manager=manager, name="团队网点")
    BranchFactory(manager=other_manager, name="他队网点")
    text = supervisor_client.get(reverse("duties:coverage")).text
    assert "团队网点" in text and "他队网点" not in text


def test_coverage_for_another_manager_hides_my_branches(other_client, manager):
    PolicyBriefingFactory()
    BranchFactory(manager=manager, name="我的网点")
    assert "我的网点" not in other_client.get(reverse("duties:coverage")).text


@pytest.mark.parametrize("size", [3, 30])
def test_coverage_runs_a_constant_number_of_queries(
    manager_client, manager, django_assert_max_num_queries, size
):
    briefings = PolicyBriefingFactory.create_batch(size)
    branches = BranchFactory.create_batch(size, manager=manager)
    for briefing, branch in zip(briefings, branches, strict=True):
        BriefingDeliveryFactory(briefing=briefing, branch=branch)
    with django_assert_max_num_queries(4):
        response = manager_client.get(reverse("duties:coverage"))
    assert response.text.count("coverage-row") == size


def test_a_delivery_during_a_visit_to_another_branch_is_refused(manager_client, manager, branch):
    briefing = PolicyBriefingFactory()
    elsewhere = VisitFactory(branch=BranchFactory(manager=manager))
    response = manager_client.post(
        reverse("duties:delivery_create", args=[briefing.pk]),
        {
            "branch": branch.pk,
            "delivered_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "visit": elsewhere.pk,
        },
    )
    assert "invalid-feedback" in response.text
    assert not BriefingDelivery.objects.exists()


def test_recording_for_one_branch_offers_only_its_staff(manager_client, manager, branch):
    briefing = PolicyBriefingFactory()
    here = BranchStaffFactory(branch=branch, name="本行柜员")
    BranchStaffFactory(branch=BranchFactory(manager=manager), name="他行柜员")
    url = reverse("duties:delivery_create", args=[briefing.pk])

    narrowed = manager_client.get(url, {"branch": branch.pk}).text
    assert "本行柜员" in narrowed and "他行柜员" not in narrowed
    everyone = manager_client.get(url).text
    assert "本行柜员" in everyone and "他行柜员" in everyone

    manager_client.post(
        url,
        {
            "branch": branch.pk,
            "delivered_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "staff_briefed": [here.pk],
        },
    )
    assert list(BriefingDelivery.objects.get().staff_briefed.all()) == [here]
