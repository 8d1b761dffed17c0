from accounts import demo as accounts_demo
from branches import demo as branches_demo
from duties import demo
from duties.models import (
    Attendance,
    BriefingDelivery,
    ChecklistItem,
    ChecklistTemplate,
    PolicyBriefing,
    TrainingSession,
)

MODELS = [
    ChecklistTemplate,
    ChecklistItem,
    TrainingSession,
    PolicyBriefing,
    BriefingDelivery,
    Attendance,
]


def _seed():
    for module in (accounts_demo, branches_demo, demo):
        module.seed(lambda text: None)
    return {model.__name__: model.objects.count() for model in MODELS}


def test_the_demo_seeds_a_week_of_duties_and_is_idempotent(db):
    first = _seed()
    assert all(first.values()), first
    assert ChecklistItem.objects.filter(done=True).exists()
    assert ChecklistItem.objects.filter(done=False).exists()
    assert _seed() == first
