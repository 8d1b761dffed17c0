"""Level changes, assessment generation and decisions, through the services."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import AccountManager
from branches.services import log_visit
from grading import services
from grading.models import Assessment, LevelChange
from tests.branches.factories import BranchFactory
from tests.grading.factories import (
    AccountManagerFactory,
    AssessmentPeriodFactory,
    LevelStandardFactory,
    SalesFigureFactory,
    level,
)


@pytest.mark.django_db
def test_change_level_moves_the_manager_and_writes_history(manager, supervisor):
    change = services.change_level(
        manager, level(3), LevelChange.Reason.CORRECTION, datetime.date(2026, 11, 1), supervisor
    )
    manager.refresh_from_db()
    assert manager.current_level.level == level(3)
    assert (change.from_level, change.to_level, change.approved_by) == (
        level(1),
        level(3),
        supervisor,
    )


@pytest.mark.django_db
def test_change_level_refuses_the_same_level(manager, supervisor):
    with pytest.raises(ValidationError):
        services.change_level(
            manager, level(1), LevelChange.Reason.CORRECTION, datetime.date(2026, 11, 1), supervisor
        )
    assert not LevelChange.objects.filter(manager=manager).exists()


@pytest.mark.django_db
def test_affiliation_places_the_manager_and_records_the_previous_employer(manager, supervisor):
    services.place_by_affiliation(manager, level(5), "平安人寿", "银保主管", "五年经验", supervisor)
    manager.refresh_from_db()
    assert manager.current_level.level == level(5)
    assert manager.entry_route == AccountManager.EntryRoute.AFFILIATION
    assert manager.previous_employer == "平安人寿"
    assert manager.level_changes.get().reason == LevelChange.Reason.AFFILIATION


@pytest.mark.django_db
def test_affiliation_without_a_reason_is_refused(manager, supervisor):
    with pytest.raises(ValidationError):
        services.place_by_affiliation(manager, level(5), "平安人寿", "", " ", supervisor)
    manager.refresh_from_db()
    assert manager.current_level.level == level(1)


@pytest.mark.django_db
def test_generation_freezes_metrics_and_recommends(
    manager, supervisor, period, standards, strong_figures
):
    strong_figures(manager)
    branch = BranchFactory(manager=manager)
    log_visit(
        branch=branch,
        manager=manager,
        purposes=["plan"],
        visited_at=datetime.datetime(2026, 10, 1, 0, 30, tzinfo=datetime.UTC),  # 08:30 Shanghai
    )
    log_visit(
        branch=branch,
        manager=manager,
        purposes=["plan"],
        visited_at=datetime.datetime(2026, 9, 30, 15, 30, tzinfo=datetime.UTC),  # 23:30 Shanghai
    )
    (assessment,) = services.generate_assessments(period, supervisor)
    assert assessment.status == Assessment.Status.DRAFT
    assert assessment.metrics["premium"] == "150000.00"
    assert assessment.metrics["visits"] == 1
    # a new hire meeting the 客户专员 bar in the first period → 客户主任一级
    assert assessment.first_period
    assert (assessment.recommended_outcome, assessment.recommended_level) == ("promote", level(2))


@pytest.mark.django_db
def test_generation_is_idempotent_and_scoped(manager, other_manager, supervisor, period):
    first = services.generate_assessments(period, supervisor)
    again = services.generate_assessments(period, supervisor)
    assert [a.manager for a in first] == [manager]
    assert again == []
    assert Assessment.objects.count() == 1


@pytest.mark.django_db
def test_inactive_managers_are_not_assessed(supervisor, period):
    AccountManagerFactory(supervisor=supervisor, is_active=False)
    assert services.generate_assessments(period, supervisor) == []


@pytest.mark.django_db
def test_after_an_approved_period_a_new_hire_needs_the_promotion_bars(
    manager, supervisor, standards
):
    q3 = AssessmentPeriodFactory(
        name="2026Q3", start=datetime.date(2026, 7, 1), end=datetime.date(2026, 9, 30)
    )
    SalesFigureFactory(manager=manager, period=q3, premium=Decimal("10000"))
    (failed,) = services.generate_assessments(q3, supervisor)
    services.approve_assessment(failed, supervisor)
    q4 = AssessmentPeriodFactory(name="2026Q4")
    SalesFigureFactory(manager=manager, period=q4, premium=Decimal("60000"))
    (second,) = services.generate_assessments(q4, supervisor)
    assert not second.first_period
    assert second.recommended_level == level(1)


@pytest.mark.django_db
def test_approving_applies_the_recommended_level(
    manager, supervisor, period, standards, strong_figures
):
    strong_figures(manager)
    (assessment,) = services.generate_assessments(period, supervisor)
    services.approve_assessment(assessment, supervisor)
    manager.refresh_from_db()
    assessment.refresh_from_db()
    assert manager.current_level.level == level(2)
    assert assessment.status == Assessment.Status.APPROVED
    assert assessment.decided_by == supervisor
    assert manager.level_changes.get().assessment == assessment


@pytest.mark.django_db
def test_an_override_needs_a_reason(manager, supervisor, period, standards, strong_figures):
    strong_figures(manager)
    (assessment,) = services.generate_assessments(period, supervisor)
    with pytest.raises(ValidationError):
        services.approve_assessment(assessment, supervisor, level=level(1), reason="")
    assessment.refresh_from_db()
    manager.refresh_from_db()
    assert assessment.status == Assessment.Status.DRAFT
    assert manager.current_level.level == level(1)


@pytest.mark.django_db
def test_an_override_with_a_reason_applies_the_chosen_level(
    manager, supervisor, period, standards, strong_figures
):
    strong_figures(manager)
    (assessment,) = services.generate_assessments(period, supervisor)
    services.approve_assessment(assessment, supervisor, level=level(1), reason="投诉未结")
    assessment.refresh_from_db()
    manager.refresh_from_db()
    assert assessment.decision == Assessment.Decision.OVERRIDE
    assert manager.current_level.level == level(1)
    assert not manager.level_changes.exists()


@pytest.mark.django_db
def test_another_team_cannot_decide(manager, other_supervisor, supervisor, period):
    (assessment,) = services.generate_assessments(period, supervisor)
    with pytest.raises(PermissionDenied):
        services.approve_assessment(assessment, other_supervisor)
    with pytest.raises(PermissionDenied):
        services.reject_assessment(assessment, other_supervisor)
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.DRAFT


@pytest.mark.django_db
def test_a_decided_assessment_stays_decided(manager, supervisor, period):
    (assessment,) = services.generate_assessments(period, supervisor)
    services.reject_assessment(assessment, supervisor)
    with pytest.raises(ValidationError):
        services.approve_assessment(assessment, supervisor)
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.REJECTED


@pytest.mark.django_db
def test_submitting_moves_a_draft_on(manager, supervisor, period):
    (assessment,) = services.generate_assessments(period, supervisor)
    services.submit_assessment(assessment, supervisor)
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.SUBMITTED
    with pytest.raises(ValidationError):
        services.submit_assessment(assessment, supervisor)


@pytest.mark.django_db
def test_the_standard_in_force_is_the_latest_before_the_period_ends(
    manager, supervisor, period, strong_figures
):
    strong_figures(manager)  # 150 000 元
    LevelStandardFactory(level=level(1), effective_from=datetime.date(2026, 1, 1))
    LevelStandardFactory(
        level=level(1), effective_from=datetime.date(2026, 12, 1), keep_premium=Decimal("200000")
    )
    LevelStandardFactory(
        level=level(1), effective_from=datetime.date(2027, 1, 1), keep_premium=Decimal("1")
    )
    (assessment,) = services.generate_assessments(period, supervisor)
    assert assessment.thresholds["keep"]["premium"] == "200000.00"
    assert assessment.recommended_level == level(1)


@pytest.mark.django_db
def test_a_new_hire_placed_above_the_floor_is_not_in_a_first_period(manager, supervisor, period):
    services.change_level(
        manager, level(3), LevelChange.Reason.INITIAL, datetime.date(2026, 1, 1), supervisor
    )
    (assessment,) = services.generate_assessments(period, supervisor)
    assert not assessment.first_period


@pytest.mark.django_db
def test_a_recommendation_made_at_another_level_is_not_applied_as_is(
    manager, supervisor, period, standards, strong_figures
):
    strong_figures(manager)
    (assessment,) = services.generate_assessments(period, supervisor)  # 客户专员 → 客户主任一级
    services.change_level(manager, level(3), "correction", datetime.date(2026, 11, 2), supervisor)

    with pytest.raises(ValidationError, match="与本次考核的期初职级不同"):
        services.approve_assessment(assessment, supervisor)
    manager.refresh_from_db()
    assessment.refresh_from_db()
    assert manager.current_level.level == level(3) and assessment.status == Assessment.Status.DRAFT

    # An override with a reason still decides it.
    services.approve_assessment(assessment, supervisor, level=level(3), reason="已按档案更正")
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.APPROVED
