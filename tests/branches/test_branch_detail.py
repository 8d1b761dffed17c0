import datetime
from decimal import Decimal

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from branches.models import AbnormalEvent, CompetitorPresence, DepositSnapshot, PlanTarget
from tests.branches.factories import (
    AbnormalEventFactory,
    BranchFactory,
    CompetitorPresenceFactory,
    DepositSnapshotFactory,
    PlanTargetFactory,
    VisitFactory,
)
from tests.staff.factories import BranchStaffFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _detail(branch):
    return reverse("branches:detail", args=[branch.pk])


def test_the_branch_page_shows_the_branch_database(manager_client, branch, teller):
    DepositSnapshotFactory(
        branch=branch,
        as_of=TODAY - datetime.timedelta(days=30),
        personal=Decimal("1000000"),
        corporate=Decimal("0"),
    )
    DepositSnapshotFactory(
        branch=branch, as_of=TODAY, personal=Decimal("1200000"), corporate=Decimal("300000")
    )
    PlanTargetFactory(branch=branch, competition_scheme="开门红竞赛")
    CompetitorPresenceFactory(
        branch=branch,
        insurer="平安人寿",
        annual_premium=Decimal("800000"),
        observed_on=TODAY - datetime.timedelta(days=60),
    )
    CompetitorPresenceFactory(branch=branch, insurer="平安人寿", annual_premium=Decimal("950000"))
    AbnormalEventFactory(branch=branch, description="国债上柜，客户分流")
    VisitFactory(branch=branch, summary="送宣传彩页")

    response = manager_client.get(_detail(branch))
    page = response.content.decode()
    assert response.context["deposit"]["change"] == Decimal("500000")
    assert "1,500,000" in page
    assert "开门红竞赛" in page
    [competitor] = response.context["competitors"]
    assert competitor["annual_change"] == Decimal("150000")
    assert "+150,000" in page
    assert "138****5678" in page and "13812345678" not in page
    assert "国债上柜，客户分流" in page
    assert "送宣传彩页" in page


def test_the_branch_page_runs_a_constant_number_of_queries(
    manager_client, branch, django_assert_max_num_queries
):
    for rows in (1, 15):
        BranchStaffFactory.create_batch(rows, branch=branch)
        VisitFactory.create_batch(rows, branch=branch)
        CompetitorPresenceFactory.create_batch(rows, branch=branch)
        # The whole page: the branch database plus every app's panels and timeline providers.
        # 3 (issue 22): the session with the user and their roles, then every panel's and
        # timeline provider's reads in one statement (branches.page_reads, core.batch); the
        # first request also writes the session's "last seen".
        with django_assert_max_num_queries(3):
            assert manager_client.get(_detail(branch)).status_code == 200


@override_settings(PREPARED_READS_VERIFY=False)
def test_each_branch_page_shows_its_own_branch_through_the_prepared_reads(manager_client, manager):
    # The page's reads are compiled once per process (core.prepared) and run with each
    # page's branch: the second branch's page must not show the first's rows.
    first = BranchFactory(manager=manager, name="外滩支行")
    second = BranchFactory(manager=manager, name="陆家嘴支行")
    VisitFactory(branch=first, summary="外滩的拜访")
    BranchStaffFactory(branch=first, name="王外滩")
    CompetitorPresenceFactory(branch=first, insurer="平安人寿")
    VisitFactory(branch=second, summary="陆家嘴的拜访")
    BranchStaffFactory(branch=second, name="赵陆家")
    for branch, own, others in (
        (first, ("外滩的拜访", "王外滩", "平安人寿"), ("陆家嘴的拜访", "赵陆家")),
        (second, ("陆家嘴的拜访", "赵陆家"), ("外滩的拜访", "王外滩", "平安人寿")),
        (first, ("外滩的拜访", "王外滩", "平安人寿"), ("陆家嘴的拜访", "赵陆家")),
    ):
        page = manager_client.get(_detail(branch)).content.decode()
        assert all(text in page for text in own)
        assert not any(text in page for text in others)


def test_the_overview_and_the_timeline_read_the_events_once(manager_client, branch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    AbnormalEventFactory.create_batch(12, branch=branch)
    with CaptureQueriesContext(connection) as queries:
        response = manager_client.get(_detail(branch))
    event_reads = [q for q in queries if 'FROM "branches_abnormalevent"' in q["sql"]]
    assert len(event_reads) == 1
    assert len(response.context["events"]) == 10
    assert sum(entry.kind == "event" for entry in response.context["timeline"]) == 12


def test_branch_pages_are_scoped(client, branch, manager, other_manager, supervisor):
    urls = [
        _detail(branch),
        reverse("branches:visit_create", args=[branch.pk]),
        reverse("branches:deposit_create", args=[branch.pk]),
        reverse("branches:target_create", args=[branch.pk]),
        reverse("branches:competitor_create", args=[branch.pk]),
        reverse("branches:event_create", args=[branch.pk]),
        reverse("staff:create", args=[branch.pk]),
    ]
    for user, status in ((manager.user, 200), (supervisor, 200), (other_manager.user, 404)):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == status, (user, url)


def test_another_manager_cannot_post_to_a_branch(other_client, branch):
    url = reverse("branches:deposit_create", args=[branch.pk])
    response = other_client.post(url, {"as_of": TODAY, "personal": "1", "corporate": "1"})
    assert response.status_code == 404
    assert not DepositSnapshot.objects.exists()


def test_it_adds_a_deposit_snapshot(manager_client, branch):
    url = reverse("branches:deposit_create", args=[branch.pk])
    response = manager_client.post(
        url, {"as_of": TODAY.isoformat(), "personal": "5000000", "corporate": "2000000.50"}
    )
    assert response.status_code == 302
    assert DepositSnapshot.objects.get(branch=branch).corporate == Decimal("2000000.50")


def test_negative_deposits_are_refused_with_a_message(manager_client, branch):
    url = reverse("branches:deposit_create", args=[branch.pk])
    response = manager_client.post(
        url, {"as_of": TODAY.isoformat(), "personal": "-5", "corporate": "1"}
    )
    assert response.status_code == 200
    assert "存款不能为负数" in response.content.decode()
    assert not DepositSnapshot.objects.exists()


def test_it_sets_a_plan_target(supervisor_client, branch):
    url = reverse("branches:target_create", args=[branch.pk])
    response = supervisor_client.post(
        url,
        {
            "period_start": "2026-01-01",
            "period_end": "2026-03-31",
            "premium_target": "3000000",
            "policy_count_target": "100",
            "competition_scheme": "开门红",
        },
    )
    assert response.status_code == 302
    assert PlanTarget.objects.get(branch=branch).policy_count_target == 100


def test_a_target_period_ending_before_it_starts_is_refused(manager_client, branch):
    url = reverse("branches:target_create", args=[branch.pk])
    response = manager_client.post(
        url,
        {
            "period_start": "2026-03-01",
            "period_end": "2026-01-01",
            "premium_target": "1",
            "policy_count_target": "1",
        },
    )
    assert response.context["form"].errors["period_end"]
    assert not PlanTarget.objects.exists()


def test_it_adds_a_competitor_observation(manager_client, branch):
    url = reverse("branches:competitor_create", args=[branch.pk])
    data = {
        "insurer": "国寿",
        "annual_premium": "1000000",
        "recent_premium": "200000",
        "sales_model": "驻点",
        "observed_on": TODAY.isoformat(),
    }
    assert manager_client.post(url, data).status_code == 302
    data["annual_premium"] = "-1"
    response = manager_client.post(url, data)
    assert response.context["form"].errors["annual_premium"]
    assert CompetitorPresence.objects.count() == 1


def test_a_competitor_campaign_needs_its_details(manager_client, branch):
    url = reverse("branches:event_create", args=[branch.pk])
    data = {
        "category": "competitor_campaign",
        "occurred_on": TODAY.isoformat(),
        "description": "友商在大堂办理财沙龙",
    }
    response = manager_client.post(url, data)
    assert response.context["form"].errors["campaign_start"]
    assert not AbnormalEvent.objects.exists()
    data.update(
        campaign_start=TODAY.isoformat(),
        campaign_end=TODAY.isoformat(),
        campaign_effect="当日出单5件",
    )
    assert manager_client.post(url, data).status_code == 302
    event = AbnormalEvent.objects.get()
    assert event.reported_by == branch.manager.user
