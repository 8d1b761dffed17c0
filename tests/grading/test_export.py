"""Assessment download: my scope, period and status filters."""

import pytest
from django.urls import reverse

from grading.services import create_assessment
from tests.grading.factories import AssessmentPeriodFactory
from tests.project.export_reading import column, read_rows

pytestmark = pytest.mark.django_db
URL = reverse("grading:assessment_export_csv")


@pytest.fixture
def assessments(manager, other_manager, supervisor, other_supervisor):
    first = AssessmentPeriodFactory(name="2026Q3")
    second = AssessmentPeriodFactory(name="2026Q4")
    create_assessment(manager=manager, period=first, user=supervisor)
    create_assessment(manager=manager, period=second, user=supervisor)
    create_assessment(manager=other_manager, period=second, user=other_supervisor)
    return first, second


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_supervisor_exports_the_teams_assessments(supervisor_client, manager, assessments, fmt):
    rows = read_rows(supervisor_client.get(reverse(f"grading:assessment_export_{fmt}")))
    assert sorted(column(rows, "考核期")) == ["2026Q3", "2026Q4"]
    assert set(column(rows, "工号")) == {manager.employee_number}


def test_it_filters_by_period(supervisor_client, assessments):
    rows = read_rows(supervisor_client.get(URL, {"period": assessments[0].pk}))
    assert column(rows, "考核期") == ["2026Q3"]


def test_a_manager_gets_only_their_own(other_client, other_manager, assessments):
    rows = read_rows(other_client.get(URL))
    assert set(column(rows, "工号")) == {other_manager.employee_number}


def test_a_bad_period_or_status_is_ignored(supervisor_client, assessments):
    rows = read_rows(supervisor_client.get(URL, {"period": "abc", "status": "nope"}))
    assert len(rows) == 3


def test_another_supervisor_sees_none_of_my_team(client, other_supervisor, manager, assessments):
    client.force_login(other_supervisor)
    rows = read_rows(client.get(URL))
    assert manager.employee_number not in column(rows, "工号")
