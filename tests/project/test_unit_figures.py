"""The unit pages' stored figures (desk.models, issue 22): what a city's or the province's
page shows of cases, stock, visits and the week's checklist is counted per team every five
minutes, on a head's "count now" and whenever the page finds the stored figures too old."""

import datetime

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from accounts import services as accounts
from accounts.models import OrgUnit
from core.dates import local_midnight, week_start
from desk.models import TeamFigures, TeamWeekVisits
from desk.services import refresh_team_figures
from desk.tasks import refresh_unit_figures
from desk.units import unit_dashboard
from documents.models import BranchStock
from documents.services import record_count
from service.models import Case
from tests.branches.factories import BranchFactory, VisitFactory
from tests.documents.factories import stock_at
from tests.grading.factories import AccountManagerFactory
from tests.service.factories import CaseFactory

pytestmark = pytest.mark.django_db


def _outage(branch, code):
    record_count(
        branch_stock=stock_at(branch, code, 3, branch.manager.user),
        counted=0,
        user=branch.manager.user,
    )


def _world(org, manager, other_manager):
    """Cases open, overdue and closed, items out of stock on open and closed branches, visits
    this week and weeks ago, and a manager who moved between the cities last month."""
    now = timezone.now()
    for member, branches in ((manager, 3), (other_manager, 2)):
        for index in range(branches):
            branch = BranchFactory(manager=member, is_active=index < branches - 1)
            CaseFactory(branch=branch, opened_at=now - datetime.timedelta(days=5))  # overdue
            CaseFactory(branch=branch, opened_at=now - datetime.timedelta(hours=1))  # not yet
            closed = CaseFactory(branch=branch, opened_at=now - datetime.timedelta(days=9))
            Case.objects.filter(pk=closed.pk).update(
                status=Case.Status.CLOSED, closed_at=now - datetime.timedelta(days=1)
            )
            _outage(branch, "poster")
            stock_at(branch, "application_form", 5, member.user)  # in stock: not counted
            VisitFactory(branch=branch, manager=member, visited_at=now)
            VisitFactory(branch=branch, manager=member, visited_at=now - datetime.timedelta(20))
    mover = AccountManagerFactory()
    accounts.move_manager(
        manager=mover, team=org.other_team, on=timezone.localdate() - datetime.timedelta(60)
    )
    branch = BranchFactory(manager=mover)
    VisitFactory(branch=branch, manager=mover, visited_at=now - datetime.timedelta(days=30))
    accounts.move_manager(
        manager=mover, team=org.team, on=timezone.localdate() - datetime.timedelta(days=25)
    )
    VisitFactory(branch=branch, manager=mover, visited_at=now - datetime.timedelta(days=8))


def _counted_live(unit, now):
    """Each child's figures counted from the rows themselves, team by team."""
    today = timezone.localdate(now)
    expected = {}
    for child in unit.children.all():
        teams = OrgUnit.objects.filter(kind="team", path__startswith=child.path)
        cases = Case.objects.open().filter(branch__manager__team__in=teams)
        week_visits = 0
        for team in teams:
            for membership in team.memberships.all():
                visits = membership.manager.visits.filter(
                    visited_at__gte=local_midnight(week_start(today))
                )
                week_visits += sum(
                    membership.started <= timezone.localdate(v.visited_at)
                    and (
                        membership.ended is None
                        or timezone.localdate(v.visited_at) < membership.ended
                    )
                    for v in visits
                )
        expected[child.pk] = (
            cases.count(),
            cases.filter(due_at__lt=now).count(),
            BranchStock.objects.filter(
                branch__manager__team__in=teams,
                branch__is_active=True,
                item__is_active=True,
                on_hand=0,
            ).count(),
            week_visits,
        )
    return expected


def _shown(unit, today=None):
    return {
        row.unit.pk: (row.open_cases, row.overdue_cases, row.stock_outages, row.visits_this_week)
        for row in unit_dashboard(unit, today)["rows"]
    }


def test_the_stored_figures_are_those_of_counting_the_rows(org, manager, other_manager):
    _world(org, manager, other_manager)
    for unit in (org.province, org.city, org.other_city):
        assert _shown(unit) == _counted_live(unit, timezone.now()), unit
    # Spot values, so that a count of nothing on both sides cannot pass.
    assert _shown(org.province)[org.city.pk] == (6, 3, 2, 3)
    assert _shown(org.province)[org.other_city.pk] == (4, 2, 1, 2)
    # Every team has its row, and each its twelve weeks of the chart.
    teams = OrgUnit.objects.filter(kind="team").count()
    assert TeamFigures.objects.count() == teams
    assert TeamWeekVisits.objects.count() == teams * 12


def test_the_weekly_chart_counts_each_visit_for_the_team_of_its_day(org, manager):
    today = datetime.date(2026, 11, 30)
    branch = BranchFactory(manager=manager)
    for days_ago in (1, 9, 9, 30):
        VisitFactory(
            branch=branch,
            manager=manager,
            visited_at=local_midnight(today - datetime.timedelta(days_ago))
            + datetime.timedelta(hours=10),
        )
    accounts.move_manager(manager=manager, team=org.other_team, on=today - datetime.timedelta(5))

    def nonzero(unit):
        return {monday: n for monday, n in unit_dashboard(unit, today)["weeks"] if n}

    assert nonzero(org.city) == {datetime.date(2026, 11, 16): 2, datetime.date(2026, 10, 26): 1}
    assert nonzero(org.other_city) == {datetime.date(2026, 11, 23): 1}
    assert sum(nonzero(org.province).values()) == 4


def test_the_page_shows_the_stored_figures_until_they_are_counted_again(client, org, manager):
    branch = BranchFactory(manager=manager)
    case = CaseFactory(branch=branch)
    client.force_login(org.province_head)
    page = client.get(reverse("desk:unit", args=[org.province.pk])).text
    counted_at = TeamFigures.objects.get(team=org.team).computed_at
    assert f"拜访、工作清单、案件与库存数据统计于 {timezone.localtime(counted_at):%H:%M}" in page
    assert _shown(org.province)[org.city.pk][0] == 1

    Case.objects.filter(pk=case.pk).update(status=Case.Status.CLOSED, closed_at=timezone.now())
    assert _shown(org.province)[org.city.pk][0] == 1  # as counted, within the maximum age
    response = client.post(reverse("desk:unit_refresh", args=[org.province.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("desk:unit", args=[org.province.pk])
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["数据已重新统计。"]
    assert _shown(org.province)[org.city.pk][0] == 0
    assert TeamFigures.objects.get(team=org.team).computed_at > counted_at


def test_figures_older_than_the_maximum_age_or_of_another_day_are_counted_again(org, manager):
    branch = BranchFactory(manager=manager)
    CaseFactory(branch=branch)
    assert _shown(org.city)[org.team.pk][0] == 1
    CaseFactory(branch=branch)
    TeamFigures.objects.update(
        computed_at=timezone.now() - settings.UNIT_FIGURES_MAX_AGE + datetime.timedelta(seconds=30)
    )
    assert _shown(org.city)[org.team.pk][0] == 1  # still young enough
    TeamFigures.objects.update(
        computed_at=timezone.now() - settings.UNIT_FIGURES_MAX_AGE - datetime.timedelta(seconds=1)
    )
    assert _shown(org.city)[org.team.pk][0] == 2
    CaseFactory(branch=branch)
    TeamFigures.objects.update(day=timezone.localdate() - datetime.timedelta(days=1))
    assert _shown(org.city)[org.team.pk][0] == 3


def test_a_team_created_since_the_count_makes_the_page_count_again(org, manager):
    assert _shown(org.province)[org.other_city.pk][0] == 0
    team = accounts.save_unit(unit=OrgUnit(kind="team", name="乙市二组", parent=org.other_city))
    member = AccountManagerFactory()
    accounts.move_manager(manager=member, team=team, on=member.hire_date)
    CaseFactory(branch=BranchFactory(manager=member))
    assert _shown(org.province)[org.other_city.pk][0] == 1
    assert TeamFigures.objects.filter(team=team).exists()


def test_count_now_is_a_post_for_a_unit_the_user_may_open(client, org):
    client.force_login(org.city_head)
    url = reverse("desk:unit_refresh", args=[org.other_city.pk])
    assert client.post(url).status_code == 404
    assert not TeamFigures.objects.exists()
    own = reverse("desk:unit_refresh", args=[org.city.pk])
    assert client.get(own).status_code == 405
    assert not TeamFigures.objects.exists()
    response = client.post(own)
    assert (response.status_code, response["Location"]) == (
        302,
        reverse("desk:unit", args=[org.city.pk]),
    )
    assert TeamFigures.objects.filter(team=org.team).exists()


def test_the_beat_task_stores_every_team_and_a_second_run_the_same_rows(org, manager):
    CaseFactory(branch=BranchFactory(manager=manager))
    old = TeamWeekVisits.objects.create(
        team=org.team, week=datetime.date(2020, 1, 6), visits=7
    )  # a week long gone: deleted
    assert "desk.refresh_unit_figures" in {
        entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()
    }
    refresh_unit_figures()
    first = sorted(TeamFigures.objects.values_list("team_id", "open_cases", "stock_outages"))
    weeks = sorted(TeamWeekVisits.objects.values_list("team_id", "week", "visits"))
    refresh_unit_figures()
    assert sorted(TeamFigures.objects.values_list("team_id", "open_cases", "stock_outages")) == (
        first
    )
    assert sorted(TeamWeekVisits.objects.values_list("team_id", "week", "visits")) == weeks
    assert (org.team.pk, 1, 0) in first
    assert not TeamWeekVisits.objects.filter(pk=old.pk).exists()
    assert len(weeks) == 12 * OrgUnit.objects.filter(kind="team").count()


def test_a_refresh_for_another_day_stores_that_days_weeks(org, manager):
    """What the tests and a replayed run ask for: the twelve weeks ending on ``today``."""
    monday = datetime.date(2026, 11, 30)
    rows = refresh_team_figures(
        today=monday, now=local_midnight(monday) + datetime.timedelta(hours=9)
    )
    assert {week for _team, week, _visits in rows.weeks} == {
        monday - datetime.timedelta(weeks=n) for n in range(12)
    }
    assert {row[1] for row in rows.figures} == {monday}


def test_the_weeks_checklist_is_stored_and_shown_as_counted(client, org, manager, other_manager):
    from duties import services as duties
    from duties.models import ChecklistItem
    from tests.duties.factories import ChecklistTemplateFactory

    ChecklistTemplateFactory()  # a daily item for every manager
    today = timezone.localdate()
    for member in (manager, other_manager):
        duties.generate_checklist(manager=member, day=today)
    ChecklistItem.objects.filter(manager=manager).update(done=True)

    def checklist(unit):
        return {
            row.unit.pk: (row.completion_done, row.completion_total)
            for row in unit_dashboard(unit, today)["rows"]
        }

    assert checklist(org.province) == {org.city.pk: (1, 1), org.other_city.pk: (0, 1)}
    stored = TeamFigures.objects.get(team=org.team)
    assert (stored.checklist_done, stored.checklist_items) == (1, 1)
    ChecklistItem.objects.filter(manager=other_manager).update(done=True)
    # As counted, within the maximum age; the head's "count now" counts it.
    assert checklist(org.province)[org.other_city.pk] == (0, 1)
    client.force_login(org.province_head)
    client.post(reverse("desk:unit_refresh", args=[org.province.pk]))
    assert checklist(org.province)[org.other_city.pk] == (1, 1)
    page = client.get(reverse("desk:unit", args=[org.province.pk])).text
    assert '100% <span class="small text-body-secondary">(1/1)</span>' in page
