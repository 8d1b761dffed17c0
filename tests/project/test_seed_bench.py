"""The benchmark dataset (manage.py seed_bench) at a tiny scale: counts and invariants."""

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Max, Sum

from accounts.models import AccountManager
from branches.models import Branch, Visit
from desk.management.commands.seed_bench import BENCH_PASSWORD, scaled
from documents.models import BranchStock
from grading.models import Assessment
from service.models import Case
from staff.models import BranchStaff

pytestmark = pytest.mark.django_db

SCALE = 0.002


@pytest.fixture
def seeded(capsys):
    call_command("seed_bench", scale=SCALE)
    return capsys.readouterr().out


def test_it_builds_the_counts_of_its_scale(seeded):
    counts = scaled(SCALE)
    bench_managers = AccountManager.objects.filter(employee_number__startswith="BM")
    assert bench_managers.count() == counts["managers"]
    assert Branch.objects.filter(code__startswith="BN").count() == counts["branches"]
    assert BranchStaff.objects.count() == counts["staff"]
    assert Visit.objects.count() == counts["visits"]
    assert Case.objects.count() == counts["cases"]
    # Two periods: one assessment per manager in each.
    assert Assessment.objects.filter(manager__in=bench_managers).count() == 2 * counts["managers"]
    assert "Done." in seeded


def test_on_hand_equals_the_ledger_so_check_stock_passes(seeded, capsys):
    for row in BranchStock.objects.annotate(ledger=Sum("movements__quantity")):
        assert row.on_hand == (row.ledger or 0) >= 0
    call_command("check_stock")
    assert "match the ledger" in capsys.readouterr().out


def test_last_visit_is_the_latest_visit_of_each_branch(seeded):
    for branch in Branch.objects.annotate(latest=Max("visits__visited_at")):
        assert branch.last_visit_at == branch.latest


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
