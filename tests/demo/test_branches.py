"""The branches part of the demo: realistic branches, and their pages render."""

import pytest
from django.contrib.auth import get_user_model

from branches.models import Branch, CompetitorPresence, DepositSnapshot, Visit
from staff.models import BranchStaff

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.xdist_group("demo"),
    # The demo is read as seed_demo leaves it, shipped checklist templates included.
    pytest.mark.shipped_templates,
]


def test_the_demo_branches_are_realistic(demo):
    assert Branch.objects.count() == 20
    for model in (BranchStaff, Visit, DepositSnapshot, CompetitorPresence):
        assert model.objects.exists(), model.__name__
    assert Branch.objects.filter(last_visit_at__isnull=True).count() == 2


def test_the_demo_branch_pages_render(demo, client):
    client.force_login(get_user_model().objects.get(username="wang"))
    assert client.get("/branches/", {"not_visited_days": 30}).status_code == 200
    branch = Branch.objects.filter(manager__user__username="wang").first()
    response = client.get(f"/branches/{branch.pk}/")
    assert response.status_code == 200
    assert "****" in response.content.decode()
    staff = branch.staff.first()
    assert client.get(f"/staff/{staff.pk}/").status_code == 200


def test_no_demo_address_doubles_a_character(demo):
    """The generated addresses read "南京东路路1号" and "人民广场路8号"."""
    import re

    doubled = [
        b.address for b in Branch.objects.all() if re.search(r"([\u4e00-\u9fff])\1", b.address)
    ]
    assert not doubled
    assert Branch.objects.get(name="南京东路支行").address == "上海市黄浦区南京东路300号"


QUARTERS = {"一季度": 1, "二季度": 2, "三季度": 3, "四季度": 4, "开门红": 1}
SEASONS = {"春季": {3, 4, 5}, "夏季": {6, 7, 8}, "秋季": {9, 10, 11}, "冬季": {12, 1, 2}}


def test_every_competition_scheme_runs_when_its_name_says(demo):
    """A "春季攻坚竞赛" ran in the fourth quarter."""
    from branches.models import PlanTarget

    wrong = []
    for target in PlanTarget.objects.exclude(competition_scheme=""):
        scheme, months = target.competition_scheme, {target.period_start.month}
        months.add(target.period_end.month)
        for word, quarter in QUARTERS.items():
            if word in scheme and {(m - 1) // 3 + 1 for m in months} != {quarter}:
                wrong.append((scheme, target.period_start, target.period_end))
        for word, season in SEASONS.items():
            if word in scheme and not months <= season:
                wrong.append((scheme, target.period_start, target.period_end))
    assert not wrong


def test_the_manager_without_branches_has_no_sales_either(demo):
    from grading.models import SalesFigure
    from sales.models import Policy

    zhao = get_user_model().objects.get(username="zhao").account_manager
    assert not zhao.branches.exists()
    assert not SalesFigure.objects.filter(manager=zhao).exists()
    assert not Policy.objects.filter(manager=zhao).exists()


def test_the_demo_visits_are_counted_per_manager_and_day(demo):
    """The demo logs its visits through services.log_visit: each one counted as it is saved."""
    from collections import Counter

    from django.utils import timezone

    from branches.models import VisitDay

    recount = Counter(
        (manager_id, timezone.localtime(at).date())
        for manager_id, at in Visit.objects.values_list("manager_id", "visited_at")
    )
    assert {(row.manager_id, row.day): row.visits for row in VisitDay.objects.all()} == recount


def test_some_demo_visits_plan_the_next_one_and_the_home_says_so(demo, client):
    from django.utils import timezone

    today = timezone.localdate()
    planned = Branch.objects.filter(planned_visit_on__isnull=False)
    assert planned.exists() and planned.filter(planned_visit_on=today).exists()
    assert not planned.filter(planned_visit_on__lt=today).exists()  # seeded today: none late
    wang = planned.filter(planned_visit_on=today, manager__user__username="wang").first()
    client.force_login(get_user_model().objects.get(username="wang"))
    page = client.get("/").content.decode()
    assert f"已计划 {today.isoformat()} 拜访" in page and wang.name in page
