"""Activity metrics read from other apps, defensively while those apps are being built."""

import pytest

from grading import selectors
from tests.grading.factories import SalesFigureFactory


@pytest.mark.django_db
def test_metrics_of_apps_that_are_missing_count_as_not_measured(manager, period, monkeypatch):
    monkeypatch.setattr(selectors.apps, "is_installed", lambda name: False)
    metrics = selectors.metrics_for(manager, period)
    assert metrics["trainings"] is None
    assert metrics["cases_on_time"] is None
    assert metrics["visits"] == 0


@pytest.mark.django_db
def test_a_model_without_the_expected_fields_counts_as_not_measured(manager, period, monkeypatch):
    from branches.models import Bank

    monkeypatch.setattr(selectors, "_optional_model", lambda app, name: Bank)
    metrics = selectors.metrics_for(manager, period)
    assert metrics["trainings"] is None
    assert metrics["cases_on_time"] is None


@pytest.mark.django_db
def test_sales_metrics_come_from_the_figures_of_that_period(manager, period):
    assert selectors.metrics_for(manager, period)["premium"] is None
    SalesFigureFactory(manager=manager, period=period, policies=7, active_branches=2)
    metrics = selectors.metrics_for(manager, period)
    assert (metrics["premium"], metrics["policies"], metrics["active_branches"]) == (
        "100000.00",
        7,
        2,
    )
