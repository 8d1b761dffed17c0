import io

import pytest
from django.core.management import call_command

from branches.models import Branch, CompetitorPresence, DepositSnapshot, Visit
from staff.models import BranchStaff

pytestmark = pytest.mark.django_db


def _counts():
    return [
        model.objects.count()
        for model in (Branch, BranchStaff, Visit, DepositSnapshot, CompetitorPresence)
    ]


def test_the_demo_data_is_realistic_and_idempotent():
    call_command("seed_demo", stdout=io.StringIO())
    first = _counts()
    assert first[0] == 20
    assert all(count > 0 for count in first)
    assert Branch.objects.filter(last_visit_at__isnull=True).count() == 2
    call_command("seed_demo", stdout=io.StringIO())
    assert _counts() == first


def test_the_demo_branch_pages_render(client):
    call_command("seed_demo", stdout=io.StringIO())
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="wang"))
    assert client.get("/branches/", {"not_visited_days": 30}).status_code == 200
    branch = Branch.objects.filter(manager__user__username="wang").first()
    page = client.get(f"/branches/{branch.pk}/").content.decode()
    assert "****" in page
    staff = branch.staff.first()
    assert client.get(f"/staff/{staff.pk}/").status_code == 200
