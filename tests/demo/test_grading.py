"""The grading part of the demo: assessments in every state."""

import pytest

from accounts.models import AccountManager
from grading.models import Assessment, LevelChange, SalesFigure

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.xdist_group("demo"),
    # The demo is read as seed_demo leaves it, shipped checklist templates included.
    pytest.mark.shipped_templates,
]


def test_the_demo_has_assessments_in_every_state(demo):
    assert set(Assessment.objects.values_list("status", flat=True)) == {
        "draft",
        "submitted",
        "approved",
        "rejected",
    }
    assert LevelChange.objects.exists() and SalesFigure.objects.exists()
    assert AccountManager.objects.get(user__username="wang").entry_route == "affiliation"
