"""An id larger than any database integer is "no such row", never a server error."""

import pytest
from django.urls import reverse

from branches.models import Branch, Visit
from tests.branches.factories import BranchFactory

pytestmark = pytest.mark.django_db

HUGE = 2**63  # one past the largest bigint


def test_a_query_for_oversized_ids_matches_nothing(manager):
    branch = BranchFactory(manager=manager)
    assert list(Branch.objects.filter(pk__in=[HUGE, -HUGE - 1])) == []
    assert list(Branch.objects.filter(pk__in=[HUGE, branch.pk])) == [branch]


def test_a_visit_naming_an_oversized_staff_id_is_a_form_error(manager_client, manager):
    branch = BranchFactory(manager=manager)
    response = manager_client.post(
        reverse("branches:visit_create", args=[branch.pk]),
        {
            "visited_at": "2026-11-01T10:00",
            "purposes": ["relationship"],
            "staff_met": [str(HUGE)],
            "summary": "拜访",
        },
    )
    assert response.status_code == 200
    assert "staff_met" in response.context["form"].errors
    assert not Visit.objects.exists()
