import pytest

from branches.models import Branch, Visit
from duties.models import ChecklistTemplate
from tests.branches.factories import BranchFactory
from tests.duties.factories import ChecklistTemplateFactory, task


@pytest.fixture
def branch(manager):
    return BranchFactory(manager=manager, tier=Branch.Tier.A)


@pytest.fixture
def delivery_template(db):
    """Deliver materials at every tier-A branch weekly; a delivery visit ticks it."""
    return ChecklistTemplateFactory(
        task=task("deliver-materials"),
        frequency=ChecklistTemplate.Frequency.WEEKLY,
        branch_tier=Branch.Tier.A,
        fulfilment=ChecklistTemplate.Fulfilment.VISIT,
        visit_purpose=Visit.Purpose.DELIVERY,
    )


@pytest.fixture
def daily_log_template(db):
    return ChecklistTemplateFactory(task=task("daily-log"))
