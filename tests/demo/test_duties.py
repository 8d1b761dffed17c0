"""The duties part of the demo: a week of checklists, trainings, briefings and attendance."""

import pytest

from duties.models import (
    Attendance,
    BriefingDelivery,
    ChecklistItem,
    ChecklistTemplate,
    PolicyBriefing,
    TrainingSession,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.xdist_group("demo"),
    # The demo is read as seed_demo leaves it, shipped checklist templates included.
    pytest.mark.shipped_templates,
]

MODELS = [
    ChecklistTemplate,
    ChecklistItem,
    TrainingSession,
    PolicyBriefing,
    BriefingDelivery,
    Attendance,
]


def test_the_demo_seeds_a_week_of_duties(demo):
    for model in MODELS:
        assert model.objects.exists(), model.__name__
    assert ChecklistItem.objects.filter(done=True).exists()
    assert ChecklistItem.objects.filter(done=False).exists()
