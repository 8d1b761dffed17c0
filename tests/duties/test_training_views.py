import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from branches.timeline import timeline_for
from duties.models import TrainingSession
from tests.branches.factories import BranchFactory
from tests.duties.factories import TrainingSessionFactory
from tests.staff.factories import BranchStaffFactory


def _form(branch, **overrides):
    data = {
        "kind": "branch",
        "trainer_kind": "manager",
        "branches": [branch.pk],
        "topics": ["product", "skills"],
        "held_on": timezone.localdate().isoformat(),
        "duration_minutes": 60,
        "head_count": 6,
        "feedback": "反响良好",
    }
    data.update(overrides)
    return data


def test_a_manager_records_a_training(manager_client, branch):
    teller = BranchStaffFactory(branch=branch)
    response = manager_client.post(
        reverse("duties:training_create"), _form(branch, attendees=[teller.pk])
    )
    training = TrainingSession.objects.get()
    assert response.url == reverse("duties:training_detail", args=[training.pk])
    assert list(training.branches.all()) == [branch]
    assert list(training.attendees.all()) == [teller]
    assert training.topics == ["product", "skills"]


@pytest.mark.parametrize(
    "overrides",
    [
        {"topics": []},
        {"duration_minutes": 0},
        {"head_count": -1},
        {"trainer_kind": "lecturer", "trainer_name": ""},
        {"held_on": (timezone.localdate() + datetime.timedelta(days=2)).isoformat()},
    ],
)
def test_bad_training_input_saves_nothing(manager_client, branch, overrides):
    response = manager_client.post(reverse("duties:training_create"), _form(branch, **overrides))
    assert response.status_code == 200
    assert "invalid-feedback" in response.text
    assert not TrainingSession.objects.exists()


def test_only_a_centralised_training_covers_several_branches(manager_client, manager, branch):
    second = BranchFactory(manager=manager)
    response = manager_client.post(
        reverse("duties:training_create"), _form(branch, branches=[branch.pk, second.pk])
    )
    assert "invalid-feedback" in response.text
    assert not TrainingSession.objects.exists()
    manager_client.post(
        reverse("duties:training_create"),
        _form(branch, kind="centralised", branches=[branch.pk, second.pk]),
    )
    assert TrainingSession.objects.get().branches.count() == 2


def test_attendees_must_come_from_the_trainings_branches(manager_client, manager, branch):
    elsewhere = BranchStaffFactory(branch=BranchFactory(manager=manager))
    response = manager_client.post(
        reverse("duties:training_create"), _form(branch, attendees=[elsewhere.pk])
    )
    assert "invalid-feedback" in response.text
    assert not TrainingSession.objects.exists()


def test_training_create_is_404_for_a_supervisor(supervisor_client):
    assert supervisor_client.get(reverse("duties:training_create")).status_code == 404


def test_the_list_shows_own_trainings_only(client, manager, other_manager):
    mine = TrainingSessionFactory(manager=manager, feedback="mine")
    theirs = TrainingSessionFactory(manager=other_manager)
    client.force_login(manager.user)
    response = client.get(reverse("duties:training_list"))
    assert reverse("duties:training_detail", args=[mine.pk]) in response.text
    assert reverse("duties:training_detail", args=[theirs.pk]) not in response.text


def test_detail_is_404_for_another_manager(other_client, manager):
    training = TrainingSessionFactory(manager=manager)
    assert (
        other_client.get(reverse("duties:training_detail", args=[training.pk])).status_code == 404
    )


def test_a_supervisor_sees_the_teams_trainings(supervisor_client, manager, other_manager):
    mine = TrainingSessionFactory(manager=manager)
    theirs = TrainingSessionFactory(manager=other_manager)
    response = supervisor_client.get(reverse("duties:training_list"))
    assert reverse("duties:training_detail", args=[mine.pk]) in response.text
    assert reverse("duties:training_detail", args=[theirs.pk]) not in response.text
    assert (
        supervisor_client.get(reverse("duties:training_detail", args=[mine.pk])).status_code == 200
    )


def test_a_training_appears_on_each_of_its_branches_timelines(manager):
    first, second = BranchFactory.create_batch(2, manager=manager)
    training = TrainingSessionFactory(manager=manager, kind="centralised", branches=[first, second])
    for branch in (first, second):
        kinds = [(entry.kind, entry.url) for entry in timeline_for(branch)]
        assert ("training", reverse("duties:training_detail", args=[training.pk])) in kinds


@pytest.mark.parametrize("size", [3, 30])
def test_the_training_list_runs_a_constant_number_of_queries(
    manager_client, manager, django_assert_max_num_queries, size
):
    TrainingSessionFactory.create_batch(size, manager=manager)
    with django_assert_max_num_queries(5):
        manager_client.get(reverse("duties:training_list"))


def test_a_training_sits_on_the_timeline_at_a_sensible_time(manager, branch):
    today = TrainingSessionFactory(manager=manager, branches=[branch])
    earlier = TrainingSessionFactory(
        manager=manager,
        branches=[branch],
        held_on=timezone.localdate() - datetime.timedelta(days=3),
    )
    when = {entry.url: timezone.localtime(entry.when) for entry in timeline_for(branch)}
    recorded_today = when[reverse("duties:training_detail", args=[today.pk])]
    assert recorded_today == timezone.localtime(today.created_at)
    back_dated = when[reverse("duties:training_detail", args=[earlier.pk])]
    assert (back_dated.date(), back_dated.hour) == (earlier.held_on, 12)


def test_the_topics_are_listed_with_the_languages_separator(manager_client, manager):
    training = TrainingSessionFactory(
        manager=manager,
        topics=["product", "skills"],
        branches=[BranchFactory(manager=manager), BranchFactory(manager=manager)],
    )
    url = reverse("duties:training_detail", args=[training.pk])
    assert "产品、销售技巧" in manager_client.get(url).text
    manager_client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = manager_client.get(url).text
    assert "Product, Sales skills" in page and "、" not in page


def test_the_timeline_entries_of_trainings_come_in_one_query(
    manager, branch, django_assert_num_queries
):
    """The trainings' timeline read selects only what an entry shows (.only()): every entry's
    title, summary and actor come without a query of their own."""
    from duties.timeline import trainings

    manager.user.first_name, manager.user.last_name = "芳", "王"
    manager.user.save()
    for index in range(3):
        TrainingSessionFactory(
            manager=manager, branches=[branch], head_count=7, feedback=f"反馈{index}"
        )
    with django_assert_num_queries(1):
        entries = list(trainings(branch, 50))
    assert len(entries) == 3
    for entry in entries:
        assert entry.actor == "王芳" and "7" in entry.summary and "反馈" in entry.summary
        assert entry.title == "培训: 产品" and entry.summary.startswith("网点培训 · 7 人")
