"""The manager's "my level" page and the supervisor's view of a team member's level."""

from decimal import Decimal

import pytest
from django.urls import reverse

from grading import services
from tests.grading.factories import LevelStandardFactory, SalesFigureFactory, level


@pytest.fixture
def progress(manager, period):
    LevelStandardFactory(level=level(2), promote_premium=Decimal("200000"), promote_policies=20)
    SalesFigureFactory(manager=manager, period=period, premium=Decimal("50000"), policies=20)


@pytest.mark.django_db
def test_my_level_shows_the_level_and_progress_toward_the_next(manager_client, progress):
    response = manager_client.get(reverse("grading:my_level"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "客户专员" in page
    assert "客户主任一级" in page  # the next level
    assert "50000.00 / 200000.00" in page
    assert "bd-w-25" in page
    assert "bd-w-100" in page  # policies already met


@pytest.mark.django_db
def test_my_level_lists_the_history(manager_client, manager, supervisor):
    import datetime

    services.change_level(
        manager=manager,
        to_level=level(4),
        reason="correction",
        effective_on=datetime.date(2026, 11, 2),
        approved_by=supervisor,
        note="补录",
    )
    page = manager_client.get(reverse("grading:my_level")).content.decode()
    assert "客户专员 → 客户主任三级" in page
    assert "补录" in page


@pytest.mark.django_db
def test_my_level_is_in_the_menu_for_managers(manager_client):
    page = manager_client.get(reverse("home")).content.decode()
    assert reverse("grading:my_level") in page


@pytest.mark.django_db
def test_a_user_without_a_manager_profile_gets_404(supervisor_client):
    assert supervisor_client.get(reverse("grading:my_level")).status_code == 404


@pytest.mark.django_db
def test_the_supervisor_sees_a_team_members_level(supervisor_client, manager, progress):
    response = supervisor_client.get(reverse("grading:manager_level", args=[manager.pk]))
    assert response.status_code == 200
    assert "50000.00 / 200000.00" in response.content.decode()


@pytest.mark.django_db
def test_another_manager_gets_404(other_client, manager):
    response = other_client.get(reverse("grading:manager_level", args=[manager.pk]))
    assert response.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("changes", [1, 10])
def test_my_level_runs_a_constant_number_of_queries(
    manager_client, manager, supervisor, period, standards, changes, django_assert_max_num_queries
):
    import datetime

    for index in range(changes):
        services.change_level(
            manager=manager,
            to_level=level(2 + index % 2),
            reason="correction",
            effective_on=datetime.date(2026, 11, 1),
            approved_by=supervisor,
        )
    with django_assert_max_num_queries(12):
        assert manager_client.get(reverse("grading:my_level")).status_code == 200
