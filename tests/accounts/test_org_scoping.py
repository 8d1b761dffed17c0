"""The one scoping rule over the organisation tree (issue 17): role × owner → 200 or 404."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts import services
from accounts.access import scoped, unit_team_ids, visible_units
from accounts.models import AccountManager, OrgUnit, TeamMembership
from branches.models import Branch
from tests.branches.factories import BranchFactory
from tests.grading.factories import AccountManagerFactory, UserFactory
from tests.service.factories import CaseFactory

pytestmark = pytest.mark.django_db

PAGES = [
    ("branches:detail", "branch"),
    ("service:detail", "case"),
    ("grading:manager_level", "manager"),
    ("duties:manager_day", "manager"),
]
# role → (status for ``manager``'s objects, status for ``other_manager``'s)
TABLE = {
    "manager": (200, 404),
    "other_manager": (404, 200),
    "supervisor": (200, 404),
    "other_supervisor": (404, 200),
    "city_head": (200, 404),
    "other_city_head": (404, 200),
    "province_head": (200, 200),
    "superuser": (200, 200),
    "nobody": (404, 404),
}


@pytest.fixture
def people(org, manager, other_manager, supervisor, other_supervisor, superuser):
    return {
        "manager": manager.user,
        "other_manager": other_manager.user,
        "supervisor": supervisor,
        "other_supervisor": other_supervisor,
        "city_head": org.city_head,
        "other_city_head": org.other_city_head,
        "province_head": org.province_head,
        "superuser": superuser,
        "nobody": UserFactory(username="nobody"),
    }


def _objects(profile):
    branch = BranchFactory(manager=profile)
    return {"branch": branch, "case": CaseFactory(branch=branch), "manager": profile}


@pytest.mark.parametrize("role", sorted(TABLE))
def test_every_role_sees_exactly_its_part_of_the_tree(client, people, manager, other_manager, role):
    mine, theirs = _objects(manager), _objects(other_manager)
    client.force_login(people[role])
    got = {}
    for name, kind in PAGES:
        got[name] = (
            client.get(reverse(name, kwargs={"pk": mine[kind].pk})).status_code,
            client.get(reverse(name, kwargs={"pk": theirs[kind].pk})).status_code,
        )
    assert got == {name: TABLE[role] for name, _kind in PAGES}
    # The branch list agrees with the pages.
    names = set(client.get(reverse("branches:list")).context["page"].object_list)
    assert names == {
        branch
        for branch, status in zip([mine["branch"], theirs["branch"]], TABLE[role], strict=True)
        if status == 200
    }


def test_a_heads_teams_are_read_once_per_request(org, django_assert_num_queries):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(pk=org.city_head.pk)
    with django_assert_num_queries(3):  # the roles, the subtree's team ids, the rows
        list(scoped(Branch.objects.all(), user, "manager"))
    with django_assert_num_queries(1):  # the rows only
        list(scoped(Branch.objects.all(), user, "manager"))
    assert unit_team_ids(user) == {org.team.pk}


def test_units_visible_follow_the_tree(org, supervisor):
    assert set(visible_units(org.province_head)) == {
        org.province,
        org.city,
        org.other_city,
        org.team,
        org.other_team,
    }
    assert set(visible_units(org.city_head)) == {org.city, org.team}
    assert set(visible_units(supervisor)) == {org.team}


def test_one_open_membership_per_manager_is_a_database_rule(org, manager):
    with pytest.raises(IntegrityError), transaction.atomic():
        TeamMembership.objects.create(
            manager=manager, team=org.other_team, started=datetime.date(2025, 1, 1)
        )


def test_a_move_ends_the_old_membership_and_changes_the_supervisor(org, manager, other_supervisor):
    day = datetime.date(2026, 3, 1)
    services.move_manager(manager=manager, team=org.other_team, on=day)
    manager.refresh_from_db()
    assert (manager.team, manager.supervisor) == (org.other_team, other_supervisor)
    assert list(manager.memberships.values_list("team_id", "started", "ended")) == [
        (org.team.pk, manager.hire_date, day),
        (org.other_team.pk, day, None),
    ]
    # Now the other city's head sees them, and the first city's head no longer does.
    assert (
        scoped(AccountManager.objects.all(), org.other_city_head, "").filter(pk=manager.pk).exists()
    )
    assert (
        not scoped(AccountManager.objects.all(), org.city_head, "").filter(pk=manager.pk).exists()
    )


def test_a_move_cannot_start_before_the_current_membership(org, manager):
    with pytest.raises(ValidationError):
        services.move_manager(
            manager=manager, team=org.other_team, on=manager.hire_date - datetime.timedelta(1)
        )
    with pytest.raises(ValidationError):
        services.move_manager(manager=manager, team=org.city, on=datetime.date(2026, 3, 1))
    assert manager.memberships.get().ended is None


def test_a_new_team_head_becomes_the_members_supervisor(org, manager):
    new_head = UserFactory(username="new_head")
    org.team.head = new_head
    services.save_unit(unit=org.team)
    manager.refresh_from_db()
    assert manager.supervisor == new_head


def test_moving_a_city_moves_its_subtree_and_wrong_parents_are_refused(org):
    second_province = services.save_unit(unit=OrgUnit(kind="province", name="邻省"))
    org.city.parent = second_province
    services.save_unit(unit=org.city)
    org.team.refresh_from_db()
    assert org.team.path.startswith(second_province.path)
    assert unit_team_ids(org.province_head) == {org.other_team.pk}
    with pytest.raises(ValidationError):
        services.save_unit(unit=OrgUnit(kind="team", name="x", parent=second_province))


def test_a_head_edits_only_inside_their_unit_in_the_admin(client, org):
    client.force_login(org.city_head)
    changelist = client.get(reverse("admin:accounts_orgunit_changelist"))
    assert changelist.status_code == 200
    assert set(changelist.context["cl"].result_list) == {org.city, org.team}
    url = reverse("admin:accounts_orgunit_change", args=[org.other_team.pk])
    assert client.get(url).status_code == 302  # the admin's "does not exist" redirect
    response = client.post(
        reverse("admin:accounts_orgunit_change", args=[org.team.pk]),
        {"name": "甲市一组", "head": org.team.head_id},
    )
    assert response.status_code == 302
    org.team.refresh_from_db()
    assert org.team.name == "甲市一组"


def test_the_admin_moves_a_manager_through_the_service(client, org, manager, other_manager):
    spare = services.save_unit(unit=OrgUnit(kind="team", name="甲市二组", parent=org.city))
    client.force_login(org.city_head)
    add = reverse("admin:accounts_teammembership_add")
    # Not before the current membership: a message, nothing saved.
    early = client.post(add, {"manager": manager.pk, "team": spare.pk, "started": "2000-01-01"})
    assert early.status_code == 200
    assert "调动日期不能早于当前团队归属的起始日" in early.content.decode()
    # Another city's manager is not on offer.
    other = client.post(
        add, {"manager": other_manager.pk, "team": spare.pk, "started": "2026-05-01"}
    )
    assert other.status_code == 200
    response = client.post(add, {"manager": manager.pk, "team": spare.pk, "started": "2026-05-01"})
    assert response.status_code == 302
    manager.refresh_from_db()
    assert manager.team == spare
    assert manager.memberships.count() == 2
    assert other_manager.memberships.get().team == org.other_team


def test_a_manager_without_a_role_in_the_tree_has_no_units(manager):
    assert not visible_units(manager.user).exists()
    AccountManagerFactory()


def test_notifications_follow_the_tree(org, manager, other_manager):
    from reminders.models import Notification
    from tests.reminders.factories import NotificationFactory

    mine = NotificationFactory(recipient=manager.user)
    theirs = NotificationFactory(recipient=other_manager.user)
    assert set(Notification.objects.for_user(org.city_head)) == {mine}
    assert set(Notification.objects.for_user(org.province_head)) == {mine, theirs}
    assert set(Notification.objects.for_user(manager.user)) == {mine}
