import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from branches.models import Branch, Visit
from duties.models import ChecklistItem
from duties.services import generate_checklist
from tests.branches.factories import BranchFactory


def test_today_generates_and_shows_my_checklist(manager_client, branch, delivery_template):
    response = manager_client.get(reverse("duties:today"))
    assert response.status_code == 200
    item = ChecklistItem.objects.get()
    assert f'id="item-{item.pk}"' in response.text
    # A delivery item's action is the delivery page (which logs the visit too).
    assert reverse("documents:delivery", args=[branch.pk]) in response.text


def test_today_for_a_supervisor_points_to_the_team(supervisor_client):
    response = supervisor_client.get(reverse("duties:today"))
    assert response.status_code == 200
    assert reverse("duties:team_week") in response.text


def test_a_supervisor_sees_a_team_members_checklist(
    client, supervisor, manager, branch, delivery_template
):
    client.force_login(supervisor)
    response = client.get(reverse("duties:manager_day", args=[manager.pk]))
    assert response.status_code == 200
    assert branch.name in response.text
    # Read-only: no tick buttons on someone else's list.
    assert reverse("duties:tick", args=[ChecklistItem.objects.get().pk]) not in response.text


def test_another_manager_cannot_see_my_checklist(other_client, manager):
    response = other_client.get(reverse("duties:manager_day", args=[manager.pk]))
    assert response.status_code == 404


def test_tick_by_hand_with_a_note(manager_client, manager, daily_log_template):
    generate_checklist(manager=manager)
    item = ChecklistItem.objects.get()
    response = manager_client.post(
        reverse("duties:tick", args=[item.pk]), {"note": "日志已写"}, follow=True
    )
    item.refresh_from_db()
    assert item.done and item.note == "日志已写"
    assert 'data-done="1"' in response.text


def test_tick_without_the_needed_note_is_refused(
    manager_client, manager, branch, delivery_template
):
    generate_checklist(manager=manager)
    item = ChecklistItem.objects.get()
    response = manager_client.post(
        reverse("duties:tick", args=[item.pk]), {"note": ""}, follow=True
    )
    item.refresh_from_db()
    assert not item.done
    assert "alert-danger" in response.text


@pytest.mark.parametrize("who", ["other", "supervisor"])
def test_only_the_owner_ticks(client, manager, other_manager, supervisor, daily_log_template, who):
    generate_checklist(manager=manager)
    item = ChecklistItem.objects.get()
    client.force_login(other_manager.user if who == "other" else supervisor)
    response = client.post(reverse("duties:tick", args=[item.pk]), {"note": "x"})
    assert response.status_code == 404
    item.refresh_from_db()
    assert not item.done


def test_log_visit_from_an_item_ticks_it(manager_client, manager, branch, delivery_template):
    generate_checklist(manager=manager)
    item = ChecklistItem.objects.get()
    url = reverse("duties:log_visit", args=[item.pk])
    form_page = manager_client.get(url)
    # The item's purpose comes preselected.
    assert re.search(r'value="delivery"\s+id="\w+" checked', form_page.text)

    response = manager_client.post(
        url, {"branch": branch.pk, "purposes": ["delivery"], "summary": "送投保单"}
    )

    assert response.status_code == 302 and response.url == reverse("duties:today")
    visit = Visit.objects.get()
    assert visit.purposes == ["delivery"] and visit.branch == branch
    item.refresh_from_db()
    assert item.done


def test_log_visit_with_bad_input_saves_nothing(manager_client, manager, branch, delivery_template):
    generate_checklist(manager=manager)
    item = ChecklistItem.objects.get()
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = manager_client.post(
        reverse("duties:log_visit", args=[item.pk]),
        {"branch": branch.pk, "purposes": [], "next_visit_on": yesterday.isoformat()},
    )
    assert response.status_code == 200
    assert "is-invalid" in response.text
    assert not Visit.objects.exists()


def test_log_visit_refuses_another_managers_branch(
    manager_client, manager, branch, delivery_template
):
    generate_checklist(manager=manager)
    item = ChecklistItem.objects.get()
    foreign = BranchFactory()
    response = manager_client.post(
        reverse("duties:log_visit", args=[item.pk]),
        {"branch": foreign.pk, "purposes": ["delivery"]},
    )
    assert response.status_code == 200
    assert not Visit.objects.exists()


def test_log_visit_is_404_for_another_manager(client, other_manager, manager, daily_log_template):
    generate_checklist(manager=manager)
    client.force_login(other_manager.user)
    item = ChecklistItem.objects.get()
    assert client.get(reverse("duties:log_visit", args=[item.pk])).status_code == 404


def test_my_week_shows_the_completion_rate(manager_client, manager, daily_log_template):
    generate_checklist(manager=manager)
    response = manager_client.get(reverse("duties:week"))
    assert response.status_code == 200
    assert "0/1" in response.text


def test_my_week_is_404_without_a_manager_profile(supervisor_client):
    assert supervisor_client.get(reverse("duties:week")).status_code == 404


def test_team_week_lists_only_the_supervisors_team(
    client, supervisor, manager, other_manager, daily_log_template
):
    generate_checklist(manager=manager)
    ChecklistItem.objects.update(done=True)
    client.force_login(supervisor)
    response = client.get(reverse("duties:team_week"))
    assert manager.display_name in response.text
    assert other_manager.display_name not in response.text
    assert "1/1 · 100%" in response.text


def test_team_week_for_another_manager_shows_only_themself(other_client, manager, other_manager):
    response = other_client.get(reverse("duties:team_week"))
    assert response.status_code == 200
    assert manager.display_name not in response.text


@pytest.mark.parametrize("size", [3, 30])
def test_the_checklist_runs_a_constant_number_of_queries(
    manager_client, manager, delivery_template, django_assert_max_num_queries, size
):
    BranchFactory.create_batch(size, manager=manager, tier=Branch.Tier.A)
    generate_checklist(manager=manager)
    with django_assert_max_num_queries(5):
        response = manager_client.get(reverse("duties:today"))
    assert response.text.count("checklist-item") == size


@pytest.mark.parametrize("size", [3, 30])
def test_generating_on_first_open_is_constant_too(
    manager_client, manager, delivery_template, django_assert_max_num_queries, size
):
    BranchFactory.create_batch(size, manager=manager, tier=Branch.Tier.A)
    with django_assert_max_num_queries(11):
        response = manager_client.get(reverse("duties:today"))
    assert response.text.count("checklist-item") == size


@pytest.mark.parametrize("who", ["manager", "supervisor"])
def test_the_menu_fits_the_role(client, manager, supervisor, who):
    client.force_login(manager.user if who == "manager" else supervisor)
    text = client.get(reverse("home")).text
    attendance_link = f'href="{reverse("duties:attendance")}"'
    team_link = f'href="{reverse("duties:team_week")}"'
    assert (attendance_link in text) == (who == "manager")
    assert (team_link in text) == (who == "supervisor")


def test_an_overlong_note_is_refused(manager_client, manager, daily_log_template):
    generate_checklist(manager=manager)
    item = ChecklistItem.objects.get()
    response = manager_client.post(
        reverse("duties:tick", args=[item.pk]), {"note": "长" * 501}, follow=True
    )
    item.refresh_from_db()
    assert not item.done and item.note == ""
    assert "alert-danger" in response.text


def test_a_past_day_is_shown_read_only(manager_client, manager, daily_log_template):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    ChecklistItem.objects.create(
        manager=manager, date=yesterday, due_on=yesterday, task=daily_log_template.task
    )
    response = manager_client.get(
        reverse("duties:manager_day", args=[manager.pk]), {"date": yesterday.isoformat()}
    )
    assert response.text.count("checklist-item") == 1
    assert "duties/items/" not in response.text


def test_items_fulfilled_by_attendance_or_training_link_to_their_record(
    manager_client, manager, branch
):
    from duties.models import ChecklistTemplate
    from tests.duties.factories import ChecklistTemplateFactory, task

    ChecklistTemplateFactory(
        task=task("attendance"), fulfilment=ChecklistTemplate.Fulfilment.ATTENDANCE
    )
    ChecklistTemplateFactory(
        task=task("branch-training"),
        frequency=ChecklistTemplate.Frequency.MONTHLY,
        per_branch=True,
        fulfilment=ChecklistTemplate.Fulfilment.TRAINING,
    )
    text = manager_client.get(reverse("duties:today")).text
    assert f'href="{reverse("duties:attendance")}"><i class="bi bi-person-check">' in text
    training_url = f"{reverse('duties:training_create')}?branch={branch.pk}"
    assert training_url in text

    form = manager_client.get(training_url).text
    assert re.search(rf'value="{branch.pk}"\s+id="\w+" checked', form)
