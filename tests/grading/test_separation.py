"""Issue 14, finding 2: nobody decides their own grade. ``boss`` holds both roles: a
supervisor (group and a team of their own) and an account manager (their own profile, under
the superuser). Each way in is tried through the admin, as the finding was reproduced."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from accounts.access import MANAGER_GROUP, SUPERVISOR_GROUP
from accounts.models import AccountManager
from grading import services
from grading.models import Assessment, LevelChange
from tests.grading.factories import AccountManagerFactory, UserFactory, level

pytestmark = pytest.mark.django_db


def _url(name, *args):
    # The account manager is accounts' model (its admin is still grading's).
    app = "accounts" if name.startswith("accountmanager") else "grading"
    return reverse(f"admin:{app}_{name}", args=args)


@pytest.fixture
def boss(superuser):
    user = UserFactory(username="boss", first_name="强", last_name="钱", is_staff=True)
    user.groups.add(Group.objects.get(name=SUPERVISOR_GROUP))
    user.groups.add(Group.objects.get(name=MANAGER_GROUP))
    AccountManagerFactory(user=user, supervisor=superuser)
    AccountManagerFactory(supervisor=user)  # their team
    return user


@pytest.fixture
def boss_client(client, boss):
    client.force_login(boss)
    return client


@pytest.fixture
def own_assessment(boss, superuser, period):
    assessment = services.create_assessment(
        manager=boss.account_manager, period=period, user=superuser
    )
    return services.submit_assessment(assessment=assessment, user=superuser)


def test_they_see_their_own_assessment_but_cannot_approve_it_in_bulk(boss_client, own_assessment):
    listed = boss_client.get(_url("assessment_changelist")).context["cl"].result_list
    assert own_assessment in listed
    response = boss_client.post(
        _url("assessment_changelist"),
        {"action": "approve_as_recommended", "_selected_action": [own_assessment.pk]},
        follow=True,
    )
    assert any("任何人都不能审批自己的考核" in str(m) for m in response.context["messages"])
    own_assessment.refresh_from_db()
    assert own_assessment.status == Assessment.Status.SUBMITTED


def test_their_own_assessment_page_is_read_only(boss_client, boss, own_assessment):
    url = _url("assessment_change", own_assessment.pk)
    page = boss_client.get(url)
    assert page.status_code == 200
    assert 'name="_approve"' not in page.content.decode()
    # A forged override to the top level: refused, nothing moves.
    response = boss_client.post(
        url, {"decided_level": level(10).pk, "override_reason": "自评", "_approve": "1"}
    )
    assert response.status_code == 403
    own_assessment.refresh_from_db()
    boss.account_manager.refresh_from_db()
    assert own_assessment.status == Assessment.Status.SUBMITTED
    assert boss.account_manager.current_level.level == level(1)


@pytest.mark.parametrize("decide", ["approve", "override", "reject", "record"])
def test_the_services_refuse_their_own_decision(boss, own_assessment, decide):
    calls = {
        "approve": lambda: services.approve_assessment(assessment=own_assessment, user=boss),
        "override": lambda: services.approve_assessment(
            assessment=own_assessment, user=boss, level=level(10), reason="自评"
        ),
        "reject": lambda: services.reject_assessment(
            assessment=own_assessment, user=boss, reason="自评"
        ),
        "record": lambda: services.record_decision(
            assessment=own_assessment, user=boss, level=level(10), reason="自评"
        ),
    }
    with pytest.raises(ValidationError) as refused:
        calls[decide]()
    assert refused.value.code == "own_grade"


def test_a_superuser_with_a_profile_cannot_give_their_own_second_approval(
    superuser, supervisor, period
):
    own = AccountManagerFactory(user=superuser, supervisor=supervisor)
    assessment = services.create_assessment(manager=own, period=period, user=supervisor)
    services.submit_assessment(assessment=assessment, user=supervisor)
    services.approve_assessment(
        assessment=assessment, user=supervisor, level=level(4), reason="特批"
    )
    with pytest.raises(ValidationError):
        services.approve_assessment(assessment=assessment, user=superuser)
    own.refresh_from_db()
    assert own.current_level.level == level(1)


def test_they_cannot_set_their_own_level_in_the_history(boss_client, boss, superuser):
    correction = {
        "to_level": level(10).pk,
        "reason": "correction",
        "effective_on": "2026-11-01",
        "note": "自定",
    }
    # A supervisor may not add corrections at all; a superuser with a profile may, but not
    # for themselves.
    add = _url("levelchange_add")
    own = {**correction, "manager": boss.account_manager.pk}
    assert boss_client.post(add, own).status_code == 403
    root_profile = AccountManagerFactory(user=superuser)
    root_client = Client()
    root_client.force_login(superuser)
    response = root_client.post(add, {**correction, "manager": root_profile.pk})
    assert response.status_code == 200
    assert "任何人都不能设定自己的职级" in response.content.decode()
    for profile in (boss.account_manager, root_profile):
        profile.refresh_from_db()
        assert profile.current_level.level == level(1)
        assert not LevelChange.objects.filter(manager=profile).exists()
    with pytest.raises(ValidationError):
        services.change_level(
            manager=boss.account_manager,
            to_level=level(10),
            reason="correction",
            effective_on=datetime.date(2026, 11, 1),
            approved_by=boss,
        )


def test_their_own_profile_keeps_its_grading_fields(boss_client, boss, superuser):
    profile = boss.account_manager
    url = _url("accountmanager_change", profile.pk)
    page = boss_client.get(url).content.decode()
    assert 'name="supervisor"' not in page
    assert 'name="placed_level"' not in page
    response = boss_client.post(
        url,
        {
            "user": boss.pk,
            "employee_number": "YB99999",
            "hire_date": "2018-01-01",
            "mobile": "13912345678",
            "supervisor": boss.pk,
            "is_active": "on",
            "entry_route": "affiliation",
            "previous_employer": "平安",
            "affiliation_reason": "自定",
            "placed_level": level(10).pk,
            "placement_reason": "自定",
        },
    )
    assert response.status_code == 302
    profile.refresh_from_db()
    assert (
        profile.supervisor,
        profile.current_level.level,
        profile.entry_route,
        profile.mobile,
    ) == (
        superuser,
        level(1),
        "new_hire",
        "13912345678",  # their own phone number is theirs to keep current
    )
    assert profile.employee_number != "YB99999"


def test_nobody_is_offered_or_accepted_as_their_own_supervisor(admin_client, boss):
    profile = boss.account_manager
    url = _url("accountmanager_change", profile.pk)
    page = admin_client.get(url).content.decode()
    choices = page.split('name="supervisor"')[1].split("</select>")[0]
    assert f'value="{boss.pk}"' not in choices
    response = admin_client.post(
        url,
        {
            "user": boss.pk,
            "employee_number": profile.employee_number,
            "hire_date": "2020-01-01",
            "mobile": profile.mobile,
            "supervisor": boss.pk,
            "is_active": "on",
            "entry_route": "new_hire",
        },
    )
    assert response.status_code == 200
    profile.refresh_from_db()
    assert profile.supervisor != boss
    profile.supervisor = boss
    with pytest.raises(ValidationError):
        services.save_manager_profile(
            manager=profile, by=admin_client_user(admin_client), changed=["supervisor"]
        )
    assert AccountManager.objects.get(pk=profile.pk).supervisor != boss


def admin_client_user(client):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(pk=client.session["_auth_user_id"])
