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
