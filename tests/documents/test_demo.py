import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from documents.models import IntakeForm, StockMovement
from documents.selectors import stock_overview

pytestmark = pytest.mark.django_db


def test_the_demo_has_every_state_and_seeds_once(capsys):
    call_command("seed_demo")
    movements = StockMovement.objects.count()
    call_command("seed_demo")
    assert StockMovement.objects.count() == movements
    admin = User.objects.get(username="admin")
    states = {row.assessment.state for row in stock_overview(admin)}
    assert states == {"ok", "low", "out", "at_risk"}
    assert set(IntakeForm.objects.values_list("status", flat=True)) == set(IntakeForm.Status.values)
    call_command("check_stock")
