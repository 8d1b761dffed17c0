"""The service part of the demo: cases in every status, some overdue."""

import pytest

from service.models import Case

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.xdist_group("demo"),
    # The demo is read as seed_demo leaves it, shipped checklist templates included.
    pytest.mark.shipped_templates,
]


def test_the_demo_has_cases_in_every_status_and_some_overdue(demo):
    assert set(Case.objects.values_list("status", flat=True)) == set(Case.Status.values)
    assert Case.objects.overdue().exists()
