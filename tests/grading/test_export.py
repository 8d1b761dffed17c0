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


def test_the_xlsx_writes_premium_and_persistency_as_numbers(supervisor_client, supervisor, manager):
    """Issue 14, finding 9: decimal figures are number cells (a formula can sum them), and a
    text cell that looks like a formula is still escaped."""
    import io
    from decimal import Decimal

    from openpyxl import load_workbook

    from tests.grading.factories import SalesFigureFactory

    period = AssessmentPeriodFactory(name="2026Q3")
    SalesFigureFactory(
        manager=manager, period=period, premium=Decimal("123456.78"), persistency=Decimal("92.5")
    )
    create_assessment(manager=manager, period=period, user=supervisor)
    manager.user.first_name, manager.user.last_name = "=1+1", ""
    manager.user.save()
    response = supervisor_client.get(reverse("grading:assessment_export_xlsx"))
    body = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(body)).worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    row = sheet[2]
    cells = dict(zip(headers, row, strict=True))
    premium = next(cell for header, cell in cells.items() if "保费" in str(header))
    persistency = next(cell for header, cell in cells.items() if "继续率" in str(header))
    assert premium.data_type == "n" and premium.value == 123456.78
    assert persistency.data_type == "n" and persistency.value == 92.5
    name = cells["客户经理"]
    assert name.data_type == "s" and str(name.value).startswith("'=")
