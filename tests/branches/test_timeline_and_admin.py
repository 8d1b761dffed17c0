import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from branches import timeline
from tests.branches.factories import CompetitorPresenceFactory, DepositSnapshotFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def training_provider():
    def trainings(branch, limit):
        yield timeline.TimelineEntry(
            when=timezone.now() - datetime.timedelta(days=1),
            kind="training",
            title="网点培训：新险种",
            actor="讲师",
        )

    timeline.register(trainings)
    yield trainings
    timeline._providers.remove(trainings)


def test_other_apps_add_entries_to_the_timeline(manager_client, branch, training_provider):
    page = manager_client.get(reverse("branches:detail", args=[branch.pk])).content.decode()
    assert "网点培训：新险种" in page
    assert 'data-kind="training"' in page


@pytest.mark.parametrize(
    "url_name", ["branches_depositsnapshot", "branches_competitorpresence", "staff_staffposting"]
)
def test_the_admin_lists_only_the_supervisors_team(
    client, supervisor, manager, other_manager, branch, url_name
):
    from tests.branches.factories import BranchFactory
    from tests.staff.factories import StaffPostingFactory

    foreign = BranchFactory(manager=other_manager, name="别队支行")
    for target in (branch, foreign):
        DepositSnapshotFactory(branch=target)
        CompetitorPresenceFactory(branch=target)
        StaffPostingFactory(staff__branch=target)
    client.force_login(supervisor)
    response = client.get(reverse(f"admin:{url_name}_changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1


def test_abnormal_events_appear_on_the_timeline(manager_client, branch):
    from tests.branches.factories import AbnormalEventFactory

    AbnormalEventFactory(branch=branch, category="government_bonds", description="国债上柜")
    page = manager_client.get(reverse("branches:detail", args=[branch.pk])).content.decode()
    assert 'data-kind="event"' in page
    assert "异常情况: 国债上柜" in page


@pytest.mark.parametrize(
    "url_name",
    [
        "branches_depositsnapshot",
        "branches_plantarget",
        "branches_competitorpresence",
        "branches_branch",
        "staff_branchstaff",
        "staff_staffposting",
    ],
)
def test_the_admin_pages_load_for_a_superuser(admin_client, branch, url_name):
    assert admin_client.get(reverse(f"admin:{url_name}_changelist")).status_code == 200
    assert admin_client.get(reverse(f"admin:{url_name}_add")).status_code == 200
