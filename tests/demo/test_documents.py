"""The documents part of the demo: stock in every state, forms in every status."""

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from documents.models import IntakeForm, StockMovement
from documents.selectors import stock_overview

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.xdist_group("demo"),
    # The demo is read as seed_demo leaves it, shipped checklist templates included.
    pytest.mark.shipped_templates,
]


def test_the_demo_has_stock_in_every_state_and_forms_in_every_status(demo):
    admin = User.objects.get(username="admin")
    states = {row.assessment.state for row in stock_overview(admin)}
    assert states == {"ok", "low", "out", "at_risk"}
    assert set(IntakeForm.objects.values_list("status", flat=True)) == set(IntakeForm.Status.values)


def test_the_demo_ledger_passes_the_stock_check(demo):
    assert StockMovement.objects.exists()
    call_command("check_stock")  # raises CommandError when on-hand figures and ledger differ
