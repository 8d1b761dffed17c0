"""core.functions: SQL the pages count and compare with, the same on SQLite and PostgreSQL."""

import datetime

import pytest

from branches.models import Branch
from core.functions import DaysBetween, JSONArrayLength
from tests.branches.factories import BranchFactory
from tests.grading.factories import AccountManagerFactory
from worklog.models import WorkLog

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 12, 3)


def test_days_between_counts_whole_days_either_way_and_none_without_a_date():
    for planned in (None, DAY, DAY + datetime.timedelta(days=40), DAY - datetime.timedelta(3)):
        BranchFactory(planned_visit_on=planned)
    got = sorted(
        Branch.objects.annotate(days=DaysBetween(DAY, "planned_visit_on")).values_list(
            "days", flat=True
        ),
        key=lambda days: (days is not None, days),
    )
    assert got == [None, -3, 0, 40]


def test_json_array_length_counts_a_logs_records():
    manager = AccountManagerFactory()
    for count, day in ((0, DAY), (3, DAY - datetime.timedelta(1))):
        WorkLog.objects.create(manager=manager, date=day, entries=[{"kind": "visit"}] * count)
    got = dict(
        WorkLog.objects.annotate(records=JSONArrayLength("entries")).values_list("date", "records")
    )
    assert got == {DAY: 0, DAY - datetime.timedelta(1): 3}
