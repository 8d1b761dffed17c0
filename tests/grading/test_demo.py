import pytest
from django.core.management import call_command

from accounts.models import AccountManager
from grading.models import Assessment, LevelChange, SalesFigure


@pytest.mark.django_db
def test_demo_has_assessments_in_every_state_and_runs_twice(capsys):
    call_command("seed_demo")
    counts = (Assessment.objects.count(), LevelChange.objects.count(), SalesFigure.objects.count())
    call_command("seed_demo")
    assert (
        Assessment.objects.count(),
        LevelChange.objects.count(),
        SalesFigure.objects.count(),
    ) == counts
    assert set(Assessment.objects.values_list("status", flat=True)) == {
        "draft",
        "submitted",
        "approved",
        "rejected",
    }
    assert AccountManager.objects.get(user__username="wang").entry_route == "affiliation"
