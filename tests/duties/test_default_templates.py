"""A fresh install has a checklist on day one: the default templates ship as data."""

import pytest
from django.utils import timezone

from duties.models import ChecklistItem, ChecklistTemplate
from duties.services import generate_checklist
from tests.branches.factories import BranchFactory

pytestmark = [pytest.mark.django_db, pytest.mark.shipped_templates]


def test_the_default_templates_are_installed_by_migrate():
    rows = set(
        ChecklistTemplate.objects.values_list(
            "task__code", "frequency", "branch_tier", "fulfilment"
        )
    )
    # The work-log item ticks from the submitted log (worklog), not by hand.
    assert ("daily-log", "daily", "", "work_log") in rows
    assert ("visit-branch", "weekly", "A", "visit") in rows
    assert ("visit-branch", "monthly", "B", "visit") in rows
    assert ("consultation-day", "monthly", "", "visit") in rows
    assert len(rows) == 9


def test_a_new_manager_gets_a_checklist_without_the_demo(manager):
    BranchFactory(manager=manager, tier="A")
    generate_checklist(manager=manager, day=timezone.localdate())
    codes = set(ChecklistItem.objects.filter(manager=manager).values_list("task__code", flat=True))
    assert {"daily-log", "attendance", "visit-branch", "deliver-materials"} <= codes
