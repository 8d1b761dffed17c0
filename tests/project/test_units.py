"""Unit dashboards at every level and the monthly report (issue 17)."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import services as accounts
from accounts.models import OrgUnit
from branches.models import Visit
from core.dates import local_midnight
from desk.models import TeamFigures
from desk.unit_views import render_report_pdf
from desk.units import monthly_report, unit_dashboard
from reminders.models import StockEpisode
from service.models import Case
from tests.branches.factories import BranchFactory, VisitFactory
from tests.grading.factories import AccountManagerFactory
from tests.service.factories import CaseFactory

pytestmark = pytest.mark.django_db

NOVEMBER = datetime.date(2026, 11, 1)
MOVE_DAY = datetime.date(2026, 11, 16)


def _at(day, hour=10):
    return local_midnight(day) + datetime.timedelta(hours=hour)


def _visits(manager, days):
    branch = manager.branches.first() or BranchFactory(manager=manager)
    for day in days:
        VisitFactory(branch=branch, manager=manager, visited_at=_at(day))
    return branch


def _rows(page, kind):
    return [int(pk) for pk in re.findall(rf'class="{kind}-row" data-{kind}="(\d+)"', page)]


def test_each_level_shows_rows_of_the_level_below_with_links_down(client, org, manager):
    client.force_login(org.province_head)
    province = client.get(reverse("desk:dashboard"))
    assert province.status_code == 200
    assert _rows(province.text, "unit") == [org.city.pk, org.other_city.pk]
    assert reverse("desk:unit", args=[org.city.pk]) in province.text
    city = client.get(reverse("desk:unit", args=[org.city.pk]))
    assert _rows(city.text, "unit") == [org.team.pk]
    assert reverse("desk:unit", args=[org.team.pk]) in city.text
    team = client.get(reverse("desk:unit", args=[org.team.pk]))
    assert _rows(team.text, "manager") == [manager.pk]
    assert f"{reverse('branches:list')}?manager={manager.pk}" in team.text
    # The trail leads back up.
    assert reverse("desk:unit", args=[org.province.pk]) in team.text


def test_dashboards_add_up_at_every_level(org, manager, other_manager):
    today = timezone.localdate()
    _visits(manager, [today] * 2)
    _visits(other_manager, [today] * 3)
    second = AccountManagerFactory()
    accounts.move_manager(manager=second, team=org.team, on=second.hire_date)
    _visits(second, [today])
    CaseFactory(branch=second.branches.first(), opened_at=timezone.now() - datetime.timedelta(5))

    province = {row.unit: row for row in unit_dashboard(org.province, today)["rows"]}
    assert (province[org.city].managers, province[org.city].visits_this_week) == (2, 3)
    assert (province[org.other_city].managers, province[org.other_city].visits_this_week) == (1, 3)
    assert (province[org.city].open_cases, province[org.city].overdue_cases) == (1, 1)
    city = {row.unit: row for row in unit_dashboard(org.city, today)["rows"]}
    assert city[org.team].visits_this_week == 3
    grades = dict(unit_dashboard(org.province, today)["grades"])
    assert sum(grades.values()) == 3
    assert (
        dict(unit_dashboard(org.province, today)["weeks"])[
            today - datetime.timedelta(today.weekday())
        ]
        == 6
    )


def test_a_moved_manager_leaves_their_history_with_the_old_unit(org, manager):
    before = [NOVEMBER + datetime.timedelta(days=n) for n in (2, 5, 9)]
    after = [MOVE_DAY, MOVE_DAY + datetime.timedelta(days=3)]
    _visits(manager, before + after)
    accounts.move_manager(manager=manager, team=org.other_team, on=MOVE_DAY)

    report = monthly_report(org.province, NOVEMBER)
    by_unit = {row.unit: row.figures["visits"] for row in report["rows"]}
    assert by_unit == {org.city: 3, org.other_city: 2}
    old_team = monthly_report(org.team, NOVEMBER)
    assert [(row.manager, row.figures["visits"]) for row in old_team["rows"]] == [(manager, 3)]
    new_team = {
        row.manager: row.figures["visits"]
        for row in monthly_report(org.other_team, NOVEMBER)["rows"]
    }
    assert new_team[manager] == 2
    # The weekly chart of the old city keeps the weeks before the move.
    weeks = dict(unit_dashboard(org.city, datetime.date(2026, 11, 30))["weeks"])
    assert sum(weeks.values()) == 3


def test_the_report_figures_are_the_sums_of_its_rows(org, manager, other_manager, superuser):
    _visits(manager, [NOVEMBER, NOVEMBER + datetime.timedelta(days=29)])
    branch = _visits(other_manager, [NOVEMBER + datetime.timedelta(days=10)])
    _visits(other_manager, [NOVEMBER - datetime.timedelta(days=1)])  # October: not counted
    in_sla = CaseFactory(branch=branch, opened_at=_at(NOVEMBER))
    late = CaseFactory(branch=manager.branches.first(), opened_at=_at(NOVEMBER))
    Case.objects.filter(pk=in_sla.pk).update(closed_at=_at(NOVEMBER, 20))
    Case.objects.filter(pk=late.pk).update(closed_at=_at(NOVEMBER + datetime.timedelta(days=5)))
    StockEpisode.objects.create(
        branch_stock_id=1, branch=branch, item_name="投保单", state="out", opened_on=NOVEMBER
    )

    report = monthly_report(org.province, NOVEMBER)
    for figure in report["figures"]:
        assert report["totals"][figure] == sum(row.figures[figure] for row in report["rows"])
    assert (
        report["totals"]["visits"]
        == Visit.objects.filter(
            visited_at__gte=_at(NOVEMBER, 0), visited_at__lt=_at(datetime.date(2026, 12, 1), 0)
        ).count()
        == 3
    )
    assert (
        report["totals"]["cases_opened"],
        report["totals"]["cases_closed"],
        report["totals"]["cases_closed_in_sla"],
        report["totals"]["stock_outages"],
    ) == (2, 2, 1, 1)


def test_the_report_is_a_page_and_a_pdf_for_the_head_only(client, org, supervisor):
    _visits(org.city.children.get().members.get(), [NOVEMBER])
    client.force_login(org.city_head)
    page = client.get(reverse("desk:unit_report", args=[org.city.pk]), {"month": "2026-11"})
    assert page.status_code == 200
    assert "周敏团队" in page.text
    pdf = client.get(reverse("desk:unit_report_pdf", args=[org.city.pk]), {"month": "2026-11"})
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    # The Chinese is drawn with the CJK font the project's setup installs (fonts-noto-cjk).
    text = render_report_pdf(monthly_report(org.city, NOVEMBER), uncompressed_pdf=True)
    assert b"Noto-Sans-CJK" in text, "no Noto Sans CJK on this machine: `make install` adds it"
    assert client.get(reverse("desk:unit_report", args=[org.other_city.pk])).status_code == 404
    assert (
        client.get(
            reverse("desk:unit_report", args=[org.city.pk]), {"month": "11/2026"}
        ).status_code
        == 404
    )
    client.force_login(supervisor)
    assert client.get(reverse("desk:unit", args=[org.city.pk])).status_code == 404
    assert client.get(reverse("desk:unit", args=[org.team.pk])).status_code == 200


@pytest.mark.parametrize("teams", [1, 6])
def test_the_province_page_costs_the_same_for_any_size(
    client, org, django_assert_max_num_queries, teams
):
    for index in range(teams):
        team = accounts.save_unit(
            unit=OrgUnit(kind="team", name=f"组{index}", parent=org.other_city)
        )
        member = AccountManagerFactory()
        accounts.move_manager(manager=member, team=team, on=member.hire_date)
        _visits(member, [timezone.localdate()])
    client.force_login(org.province_head)
    # No stored figures yet: the page counts them (one read) and stores them (a transaction
    # of two upserts and a delete of weeks gone by) before it reads on as below.
    with django_assert_max_num_queries(9):
        response = client.get(reverse("desk:unit", args=[org.province.pk]))
    assert response.status_code == 200
    assert TeamFigures.objects.count() == OrgUnit.objects.filter(kind="team").count()
    # 3 (issue 22): the session with the user, the unit, then its children, teams, every
    # figure and chart in one statement (core.prepared); a city's page reads its trail as
    # well.
    with django_assert_max_num_queries(3):
        response = client.get(reverse("desk:unit", args=[org.province.pk]))
    assert response.status_code == 200
    with django_assert_max_num_queries(4):
        assert client.get(reverse("desk:unit", args=[org.other_city.pk])).status_code == 200
    # The province head's own dashboard: the session with the user, their unit, the read.
    with django_assert_max_num_queries(3):
        assert client.get(reverse("desk:dashboard")).status_code == 200


@pytest.mark.parametrize("members", [1, 6])
def test_the_team_page_costs_the_same_for_any_size(
    client, org, django_assert_max_num_queries, members
):
    for _index in range(members):
        member = AccountManagerFactory()
        accounts.move_manager(manager=member, team=org.team, on=member.hire_date)
        _visits(member, [timezone.localdate()])
    client.force_login(org.province_head)
    # 5 (issue 22): the user, the unit, its members, then the members' rows and the charts
    # in one statement (core.batch), the trail.
    with django_assert_max_num_queries(5):
        response = client.get(reverse("desk:unit", args=[org.team.pk]))
    assert response.status_code == 200
    assert len(_rows(response.text, "manager")) >= members


@pytest.mark.parametrize(
    ("first", "last", "shown"), [("芳", "王", "王芳"), ("Ann", "Lee", "Ann Lee")]
)
def test_the_unit_page_names_its_head_in_the_order_of_their_script(client, org, first, last, shown):
    org.city_head.first_name, org.city_head.last_name = first, last
    org.city_head.save()
    client.force_login(org.province_head)
    page = client.get(reverse("desk:unit", args=[org.city.pk])).text
    assert f": {shown}</p>" in page


def test_visits_count_by_local_day_and_week_around_midnight(org, manager):
    """23:50 on Sunday the 15th and 00:10 on Monday the 16th, Shanghai time, are the same
    UTC day: the first counts for the old team's week of the 9th, the second for the new
    team's week of the 16th (the move takes effect on the 16th)."""
    sunday_night = local_midnight(MOVE_DAY) - datetime.timedelta(minutes=10)
    monday_morning = local_midnight(MOVE_DAY) + datetime.timedelta(minutes=10)
    assert (
        sunday_night.astimezone(datetime.UTC).date()
        == monday_morning.astimezone(datetime.UTC).date()
    )
    branch = BranchFactory(manager=manager)
    for moment in (sunday_night, monday_morning):
        VisitFactory(branch=branch, manager=manager, visited_at=moment)
    accounts.move_manager(manager=manager, team=org.other_team, on=MOVE_DAY)
    today = datetime.date(2026, 11, 30)

    def nonzero(unit):
        return {monday: n for monday, n in unit_dashboard(unit, today)["weeks"] if n}

    assert nonzero(org.city) == {datetime.date(2026, 11, 9): 1}
    assert nonzero(org.other_city) == {MOVE_DAY: 1}
    assert nonzero(org.province) == {datetime.date(2026, 11, 9): 1, MOVE_DAY: 1}


def test_the_visit_figures_from_visit_days_equal_counting_the_visits(org, manager, other_manager):
    """The unit pages count visits from ``branches.VisitDay`` (issue 22): after a team move,
    across a local midnight, at every level, the figures are those of counting the visits
    themselves for the team of their day (the reads before VisitDay, rebuilt here)."""
    from django.db.models import Count

    from desk.dashboard import WEEKS, first_monday_of, weekly_counts
    from desk.units import tree_of
    from desk.work_teams import counts_by_team, in_teams, with_work_team

    today = datetime.date(2026, 11, 30)  # a Monday: "this week" is today's visits
    before_move = [MOVE_DAY - datetime.timedelta(days=n) for n in (1, 8, 20, 40)]
    _visits(manager, [*before_move, MOVE_DAY, MOVE_DAY + datetime.timedelta(days=6), today])
    _visits(other_manager, [today, today, MOVE_DAY - datetime.timedelta(days=2)])
    branch = manager.branches.first()
    for moment in (local_midnight(MOVE_DAY) - datetime.timedelta(minutes=1), local_midnight(today)):
        VisitFactory(branch=branch, manager=manager, visited_at=moment)  # 23:59 and 00:00
    accounts.move_manager(manager=manager, team=org.other_team, on=MOVE_DAY)

    first_monday = first_monday_of(today)
    for unit in (org.province, org.city, org.other_city, org.team, org.other_team):
        tree = tree_of(unit)
        counted = in_teams(
            Visit.objects.filter(visited_at__gte=local_midnight(first_monday)),
            manager_ref="manager_id",
            day="visited_at",
            team_ids=tree.team_ids,
        )
        old_weeks = weekly_counts(counted, first_monday, WEEKS)
        if unit.kind == OrgUnit.Kind.TEAM:
            from desk.unit_views import team_data

            assert team_data(unit, today)["weeks"] == old_weeks, unit
            continue
        page = unit_dashboard(unit, today)
        assert page["weeks"] == old_weeks, unit
        this_week = counts_by_team(
            Visit.objects.filter(visited_at__gte=local_midnight(today)),
            manager_ref="manager_id",
            day="visited_at",
            team_ids=tree.team_ids,
        )
        old_rows = {
            child.pk: sum(
                row["total"]
                for team_id, row in this_week.items()
                if tree.row_of_team[team_id] == child.pk
            )
            for child in tree.children
        }
        assert {row.unit.pk: row.visits_this_week for row in page["rows"]} == old_rows, unit
    assert sum(n for _monday, n in unit_dashboard(org.province, today)["weeks"]) == 12

    # The monthly report's visits, per child unit and per member of a team.
    start, end = local_midnight(NOVEMBER), local_midnight(datetime.date(2026, 12, 1))
    november = Visit.objects.filter(visited_at__gte=start, visited_at__lt=end)
    for unit in (org.province, org.city, org.other_city):
        tree = tree_of(unit)
        old = counts_by_team(
            november, manager_ref="manager_id", day="visited_at", team_ids=tree.team_ids
        )
        expected = {child.pk: 0 for child in tree.children}
        for team_id, row in old.items():
            expected[tree.row_of_team[team_id]] += row["total"]
        report = monthly_report(unit, NOVEMBER)
        assert {row.unit.pk: row.figures["visits"] for row in report["rows"]} == expected, unit
    for team, counts in ((org.team, 3), (org.other_team, 4)):
        per_member = {
            row.manager.pk: row.figures["visits"] for row in monthly_report(team, NOVEMBER)["rows"]
        }
        old = (
            with_work_team(november, "manager_id", "visited_at")
            .filter(work_team=team.pk)
            .values("manager_id")
            .annotate(total=Count("pk"))
        )
        assert per_member == {row["manager_id"]: row["total"] for row in old}, team
        assert per_member[manager.pk] == counts, team


def test_managers_and_completion_per_unit_equal_the_sums_of_each_managers(
    org, manager, other_manager
):
    """The unit page counts its managers and their week's checklist per team in SQL
    (issue 22); the figures are the sums of ``duties.selectors.weekly_completion`` per manager
    (what it read before), inactive managers left out."""
    from duties import services as duties
    from duties.models import ChecklistItem
    from duties.selectors import weekly_completion
    from tests.duties.factories import ChecklistTemplateFactory

    ChecklistTemplateFactory()  # a daily item for every manager
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    second, gone = AccountManagerFactory(), AccountManagerFactory()
    for member in (second, gone):
        accounts.move_manager(manager=member, team=org.team, on=member.hire_date)
    for member in (manager, other_manager, second, gone):
        # Monday to today, whatever weekday the tests run on: today's items are ticked below.
        for offset in range(today.weekday() + 1):
            duties.generate_checklist(manager=member, day=monday + datetime.timedelta(days=offset))
    ChecklistItem.objects.filter(manager__in=[manager, gone], date=today).update(done=True)
    gone.is_active = False
    gone.save()
    for member in (manager, other_manager, second, gone):
        member.refresh_from_db()

    for unit in (org.province, org.city):
        page = {row.unit.pk: row for row in unit_dashboard(unit, today)["rows"]}
        for child, row in page.items():
            members = [
                m
                for m in (manager, other_manager, second, gone)
                if m.is_active and m.team.path.startswith(row.unit.path)
            ]
            completion = weekly_completion(members, monday).values()
            assert (row.managers, row.completion_done, row.completion_total) == (
                len(members),
                sum(c.done for c in completion),
                sum(c.total for c in completion),
            ), child
    city = {row.unit: row for row in unit_dashboard(org.city, today)["rows"]}
    assert (city[org.team].managers, city[org.team].completion_done) == (2, 1)
    assert city[org.team].completion_total == 2
