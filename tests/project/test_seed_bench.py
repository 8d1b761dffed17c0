"""The benchmark dataset (manage.py seed_bench) at a tiny scale: counts and invariants.

Seeded once for the module, inside a transaction rolled back after its last test (as the demo
package does, tests/demo/conftest.py); each test runs in its own savepoint inside it, so the
test that seeds again or signs in leaves nothing for the next. On one xdist worker, which seeds
once.
"""

import io
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone

from accounts.models import AccountManager
from branches.models import Branch, PlanTarget, Visit, VisitDay
from branches.selectors import latest_planned_visit
from desk.management.commands.seed_bench import BENCH_PASSWORD, scaled
from documents.models import BranchStock
from grading.models import Assessment
from sales.models import Policy
from service.models import Case
from staff.models import BranchStaff

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("seed_bench")]

SCALE = 0.002


@pytest.fixture(scope="module")
def _seeded_once(django_db_setup, django_db_blocker):
    output = io.StringIO()
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_bench", scale=SCALE, stdout=output)
        yield output.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def seeded(_seeded_once, db):
    """What seed_bench printed; the bench rows are in the database."""
    return _seeded_once


def test_it_builds_the_counts_of_its_scale(seeded):
    counts = scaled(SCALE)
    bench_managers = AccountManager.objects.filter(employee_number__startswith="BM")
    assert bench_managers.count() == counts["managers"]
    assert Branch.objects.filter(code__startswith="BN").count() == counts["branches"]
    assert BranchStaff.objects.count() == counts["staff"]
    assert Visit.objects.count() == counts["visits"]
    assert Case.objects.count() == counts["cases"]
    assert Policy.objects.count() == counts["policies"]
    assert (
        PlanTarget.objects.filter(branch__code__startswith="BN").count() == 13 * counts["branches"]
    )
    # Two periods: one assessment per manager in each.
    assert Assessment.objects.filter(manager__in=bench_managers).count() == 2 * counts["managers"]
    assert "Done." in seeded


def test_on_hand_equals_the_ledger_so_check_stock_passes(seeded, capsys):
    for row in BranchStock.objects.annotate(ledger=Sum("movements__quantity")):
        assert row.on_hand == (row.ledger or 0) >= 0
    call_command("check_stock")
    assert "match the ledger" in capsys.readouterr().out


def test_last_visit_is_the_latest_visit_of_each_branch(seeded):
    branches = Branch.objects.annotate(
        latest=Max("visits__visited_at"), latest_plan=latest_planned_visit()
    )
    for branch in branches:
        assert branch.last_visit_at == branch.latest
        assert branch.planned_visit_on == branch.latest_plan


def test_visits_are_by_the_branch_manager_and_never_in_the_future(seeded):
    from django.utils import timezone

    for visit in Visit.objects.select_related("branch"):
        assert visit.manager_id == visit.branch.manager_id
        assert visit.visited_at <= timezone.now()


def test_a_bench_manager_can_sign_in_and_sees_only_own_branches(seeded, client):
    response = client.post("/accounts/login/", {"username": "bm0001", "password": BENCH_PASSWORD})
    assert response.status_code == 302
    response = client.get("/branches/")
    manager = AccountManager.objects.get(user__username="bm0001")
    own = Branch.objects.filter(manager=manager).count()
    assert own >= 1
    assert response.context["page"].paginator.count == own


def test_it_refuses_to_seed_twice(seeded):
    with pytest.raises(CommandError):
        call_command("seed_bench", scale=SCALE)


def test_it_builds_the_organisation_tree(seeded, client):
    from accounts.models import OrgUnit, TeamMembership

    counts = scaled(SCALE)
    assert OrgUnit.objects.filter(kind="province").count() == 1
    assert OrgUnit.objects.filter(kind="city").count() == counts["cities"]
    assert OrgUnit.objects.filter(kind="team").count() == counts["supervisors"]
    bench_managers = AccountManager.objects.filter(employee_number__startswith="BM")
    assert not bench_managers.filter(team=None).exists()
    assert TeamMembership.objects.filter(manager__in=bench_managers).count() == counts["managers"]
    for team in OrgUnit.objects.filter(kind="team"):
        assert team.parent.kind == "city" and team.path.startswith(team.parent.path)
    response = client.post(
        "/accounts/login/", {"username": "bench_province", "password": BENCH_PASSWORD}
    )
    assert response.status_code == 302
    page = client.get("/desk/team/")
    assert page.status_code == 200
    assert page.text.count('class="unit-row"') == counts["cities"]


def test_at_scale_one_the_tree_is_a_province_of_five_cities_and_twenty_teams():
    assert (scaled(1)["cities"], scaled(1)["supervisors"]) == (5, 20)


def test_policies_are_at_the_branches_of_their_manager_and_never_in_the_future(seeded):
    import datetime

    from sales.selectors import MONTH, branch_progress, window

    assert not Policy.objects.filter(signed_on__gt=datetime.date.today()).exists()
    for policy in Policy.objects.select_related("branch")[:200]:
        assert policy.manager_id == policy.branch.manager_id
    ids = list(Branch.objects.filter(code__startswith="BN").values_list("pk", flat=True))
    month = window(MONTH)
    progress = branch_progress(ids, [month])
    assert all(progress[(pk, MONTH)].premium_target > 0 for pk in ids)


def test_the_visits_per_manager_and_day_are_counted(seeded):
    recount = Counter(
        (manager_id, timezone.localtime(at).date())
        for manager_id, at in Visit.objects.values_list("manager_id", "visited_at")
    )
    assert {(row.manager_id, row.day): row.visits for row in VisitDay.objects.all()} == recount
    assert sum(recount.values()) == scaled(SCALE)["visits"]


def test_the_monthly_sales_summary_equals_a_recount_of_the_policies(seeded):
    from tests.sales.factories import assert_monthly_sales_in_step

    assert assert_monthly_sales_in_step()


def test_managers_have_submitted_logs_on_past_working_days_only(seeded, client):
    from django.urls import reverse

    from desk.management.commands.seed_bench import WORK_LOG_DAYS
    from worklog.models import WorkLog

    logs = WorkLog.objects.select_related("manager")
    today = timezone.localdate()
    assert logs.count() > 0 and "work logs:" in seeded
    assert len({log.date for log in logs}) <= WORK_LOG_DAYS
    for log in logs:
        assert log.date < today and log.date.weekday() < 5
        assert timezone.localdate(log.submitted_at) == log.date
        assert log.submitted_at <= timezone.now()
        assert log.entries and all(e["url"].startswith("/branches/") for e in log.entries)
    # A supervisor reads a logged day of their team.
    log = logs.first()
    client.force_login(log.manager.supervisor)
    page = client.get(reverse("worklog:team"), {"date": f"{log.date:%Y-%m-%d}"})
    assert page.status_code == 200
    assert log.manager.display_name in page.text.split('id="submitted"')[1]
