import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from branches.panels import panels_for
from core.dates import week_start
from duties.models import ChecklistItem
from duties.selectors import daily_completion, weekly_completion, weekly_completion_query
from duties.services import generate_checklist
from tests.branches.factories import BranchFactory
from tests.duties.factories import (
    AttendanceFactory,
    BriefingDeliveryFactory,
    PolicyBriefingFactory,
)
from tests.grading.factories import AccountManagerFactory


def test_the_weekly_rate_counts_items_due_that_week(manager, daily_log_template):
    monday = week_start(timezone.localdate())
    for offset in range(3):
        day = monday + datetime.timedelta(days=offset)
        ChecklistItem.objects.create(
            manager=manager, date=day, due_on=day, task=daily_log_template.task, done=offset == 0
        )
    last_week = monday - datetime.timedelta(days=1)
    ChecklistItem.objects.create(
        manager=manager, date=last_week, due_on=last_week, task=daily_log_template.task
    )
    rate = weekly_completion([manager], monday)[manager.pk]
    assert (rate.done, rate.total, rate.percent) == (1, 3, 33)


def test_the_week_is_counted_from_the_items_alone(manager):
    # The items' Meta.ordering names their task and area; a count must not join them (a
    # province's dashboard joined 2,600 items to both for nothing).
    monday = week_start(timezone.localdate())
    for query in (
        weekly_completion_query([manager.pk], monday),
        weekly_completion_query([manager.pk], monday, by="manager__team_id"),
    ):
        assert "duties_dutytask" not in str(query.query)
        assert "duties_dutyarea" not in str(query.query)
    with CaptureQueriesContext(connection) as queries:
        days = daily_completion(manager, monday)
    assert [completion.total for _day, completion in days] == [0] * 7
    assert "duties_dutytask" not in queries[0]["sql"]


def test_browsing_ahead_creates_no_future_items(supervisor_client, manager, daily_log_template):
    ahead = timezone.localdate() + datetime.timedelta(days=14)
    response = supervisor_client.get(
        reverse("duties:manager_day", args=[manager.pk]), {"date": ahead.isoformat()}
    )
    assert response.status_code == 200
    assert not ChecklistItem.objects.exists()


def test_the_branch_page_panel_lists_briefings_not_yet_delivered(manager, branch):
    delivered = PolicyBriefingFactory(title="已宣导")
    pending = PolicyBriefingFactory(title="待宣导")
    BriefingDeliveryFactory(briefing=delivered, branch=branch)
    [context] = [
        context
        for template, context in panels_for(branch, manager.user)
        if template == "duties/_branch_briefings_panel.html"
    ]
    assert context["pending_briefings"] == [pending]
    assert context["can_record"]


@pytest.mark.parametrize("size", [3, 30])
def test_team_week_runs_a_constant_number_of_queries(
    supervisor_client, supervisor, daily_log_template, django_assert_max_num_queries, size
):
    for profile in AccountManagerFactory.create_batch(size, supervisor=supervisor):
        generate_checklist(manager=profile)
    with django_assert_max_num_queries(3):
        response = supervisor_client.get(reverse("duties:team_week"))
    assert len(response.context["rows"]) == size


@pytest.mark.parametrize("size", [3, 30])
def test_the_attendance_summary_runs_a_constant_number_of_queries(
    supervisor_client, supervisor, django_assert_max_num_queries, size
):
    for profile in AccountManagerFactory.create_batch(size, supervisor=supervisor):
        AttendanceFactory(manager=profile)
    with django_assert_max_num_queries(3):
        response = supervisor_client.get(reverse("duties:attendance_summary"))
    assert len(response.context["rows"]) == size


@pytest.mark.parametrize("size", [3, 30])
def test_the_briefing_list_runs_a_constant_number_of_queries(
    manager_client, django_assert_max_num_queries, size
):
    PolicyBriefingFactory.create_batch(size)
    with django_assert_max_num_queries(3):
        response = manager_client.get(reverse("duties:briefing_list"))
    assert len(response.context["page"]) == size


@pytest.mark.parametrize("size", [3, 30])
def test_my_attendance_page_runs_a_constant_number_of_queries(
    manager_client, manager, django_assert_max_num_queries, size
):
    first = timezone.localdate().replace(day=1)
    for offset in range(min(size, timezone.localdate().day)):
        AttendanceFactory(manager=manager, date=first + datetime.timedelta(days=offset))
    with django_assert_max_num_queries(4):
        assert manager_client.get(reverse("duties:attendance")).status_code == 200


def test_the_panel_on_another_managers_branch_offers_no_recording(manager, other_manager):
    PolicyBriefingFactory()
    foreign = BranchFactory(manager=other_manager)
    [context] = [c for t, c in panels_for(foreign, manager.user) if t.startswith("duties/")]
    assert not context["can_record"]
