"""Activity metrics read from the branches, duties and service apps, and sales figures."""

import datetime

import pytest
from django.utils import timezone

from grading import selectors
from service.models import Case, Kind
from tests.grading.factories import SalesFigureFactory


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


def _shanghai(*args):
    return timezone.make_aware(datetime.datetime(*args))


@pytest.mark.django_db
def test_trainings_are_counted_from_the_duties_sessions_held_in_the_period(
    manager, other_manager, period
):
    from tests.duties.factories import TrainingSessionFactory

    TrainingSessionFactory(manager=manager, held_on=datetime.date(2026, 10, 1))
    TrainingSessionFactory(manager=manager, held_on=datetime.date(2026, 12, 31))
    TrainingSessionFactory(manager=manager, held_on=datetime.date(2026, 9, 30))
    TrainingSessionFactory(manager=manager, held_on=datetime.date(2027, 1, 1))
    TrainingSessionFactory(manager=other_manager, held_on=datetime.date(2026, 11, 2))

    by_manager = selectors.metrics_for_managers([manager, other_manager], period)

    assert by_manager[manager.pk]["trainings"] == 2
    assert by_manager[other_manager.pk]["trainings"] == 1


@pytest.mark.django_db
def test_cases_resolved_on_time_are_counted_from_the_service_cases(manager, other_manager, period):
    from tests.service.factories import CaseFactory

    def resolved(assigned, opened, due, resolved_at):
        return CaseFactory(
            branch__manager=assigned,
            opened_at=opened,
            due_at=due,
            resolved_at=resolved_at,
            status=Case.Status.RESOLVED,
        )

    opened = _shanghai(2026, 11, 2, 9)
    resolved(manager, opened, _shanghai(2026, 11, 5, 9), _shanghai(2026, 11, 4, 9))
    # Closed after resolving still counts: the resolution time stays on the row.
    closed = resolved(manager, opened, _shanghai(2026, 11, 5, 9), _shanghai(2026, 11, 5, 9))
    Case.objects.filter(pk=closed.pk).update(status=Case.Status.CLOSED)
    # Resolved late: not on time.
    resolved(manager, opened, _shanghai(2026, 11, 3, 9), _shanghai(2026, 11, 4, 9))
    # The period ends at midnight in Shanghai, not UTC.
    last_evening = _shanghai(2026, 12, 31, 23, 30)
    resolved(manager, _shanghai(2026, 12, 31, 9), _shanghai(2027, 1, 2), last_evening)
    next_morning = _shanghai(2027, 1, 1, 0, 10)
    resolved(manager, _shanghai(2026, 12, 31, 9), _shanghai(2027, 1, 2), next_morning)
    # Still open, and someone else's: not counted for this manager.
    CaseFactory(branch__manager=manager, opened_at=opened, due_at=_shanghai(2026, 11, 5))
    resolved(other_manager, opened, _shanghai(2026, 11, 5, 9), _shanghai(2026, 11, 4, 9))

    by_manager = selectors.metrics_for_managers([manager, other_manager], period)

    assert by_manager[manager.pk]["cases_on_time"] == 3
    assert by_manager[other_manager.pk]["cases_on_time"] == 1


@pytest.mark.django_db
def test_a_case_resolved_through_the_service_counts_for_its_assigned_manager(manager):
    from service import services
    from tests.branches.factories import BranchFactory
    from tests.grading.factories import AssessmentPeriodFactory

    today = timezone.localdate()
    period = AssessmentPeriodFactory(
        start=today - datetime.timedelta(days=10), end=today + datetime.timedelta(days=10)
    )

    branch = BranchFactory(manager=manager)
    case = services.open_case(
        branch=branch,
        user=manager.user,
        customer_name="陈静",
        customer_mobile="13800001111",
        kind=Kind.HARD_QUESTION,
    )
    assert selectors.metrics_for(manager, period)["cases_on_time"] == 0

    services.transition(
        case=case, action_name="resolve", user=manager.user, resolution="已解释条款"
    )

    assert selectors.metrics_for(manager, period)["cases_on_time"] == 1
