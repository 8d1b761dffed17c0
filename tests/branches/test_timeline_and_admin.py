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


def _admins_of(*apps):
    from django.contrib import admin

    return [
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in apps and not model._meta.auto_created
    ]


@pytest.mark.parametrize(
    ("model", "model_admin"),
    _admins_of("branches", "staff", "reminders"),
    ids=lambda value: getattr(getattr(value, "_meta", None), "label", ""),
)
def test_every_admin_searches_filters_and_joins_what_it_lists(model, model_admin):
    assert model_admin.search_fields, model
    assert model_admin.list_filter, model
    related = model_admin.list_select_related
    for name in model_admin.list_display:
        field = next((f for f in model._meta.get_fields() if f.name == name), None)
        if field is not None and field.many_to_one:
            assert related is True or any(
                path == name or path.startswith(f"{name}__") for path in related
            ), f"{model._meta.label}.{name} is listed without list_select_related"


@pytest.mark.parametrize("rows", [3, 30])
def test_the_staff_changelist_runs_a_constant_number_of_queries(
    admin_client, branch, rows, django_assert_max_num_queries
):
    from tests.staff.factories import BranchStaffFactory

    BranchStaffFactory.create_batch(rows, branch=branch, mobile="13812345678")
    with django_assert_max_num_queries(4):
        page = admin_client.get(reverse("admin:staff_branchstaff_changelist"))
    assert page.status_code == 200
    content = page.content.decode()
    assert "138****5678" in content and "13812345678" not in content


def test_each_kind_of_timeline_entry_has_its_icon(manager_client, branch, training_provider):
    from tests.branches.factories import VisitFactory

    VisitFactory(branch=branch)
    page = manager_client.get(reverse("branches:detail", args=[branch.pk])).content.decode()
    assert (
        'data-kind="visit"><small class="text-body-secondary"><i class="bi bi-geo-alt-fill"' in page
    )
    assert 'data-kind="training"><small class="text-body-secondary"><i class="bi bi-easel2"' in page


def test_an_abnormal_event_names_its_reporter_family_name_first(branch):
    from tests.branches.factories import AbnormalEventFactory
    from tests.grading.factories import UserFactory

    reporter = UserFactory(first_name="芳", last_name="王")
    AbnormalEventFactory(branch=branch, reported_by=reporter)
    entry = next(e for e in timeline.timeline_for(branch) if e.kind == "event")
    assert entry.actor == "王芳"
