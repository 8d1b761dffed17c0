"""The monthly unit report reaches each unit's head once, on the month's first working day."""

import datetime

import pytest
from django.core import mail

from core.dates import first_working_day, local_midnight
from desk.tasks import send_monthly_unit_reports
from reminders.models import Notification
from tests.branches.factories import VisitFactory

pytestmark = pytest.mark.django_db


def test_the_first_working_day_skips_weekends_and_holidays():
    assert first_working_day(datetime.date(2026, 11, 20)) == datetime.date(2026, 11, 2)  # Sun 1st
    assert first_working_day(datetime.date(2026, 10, 15)) == datetime.date(2026, 10, 8)  # 国庆
    assert first_working_day(datetime.date(2026, 12, 31)) == datetime.date(2026, 12, 1)


def test_each_head_gets_last_months_report_once(org, manager, django_capture_on_commit_callbacks):
    for day in (3, 4):
        VisitFactory(
            branch__manager=manager,
            manager=manager,
            visited_at=local_midnight(datetime.date(2026, 11, day)) + datetime.timedelta(hours=9),
        )
    assert send_monthly_unit_reports("2026-11-30") == 0  # not the first working day
    with django_capture_on_commit_callbacks(execute=True):
        assert send_monthly_unit_reports("2026-12-01") == 5  # province, two cities, two teams
    with django_capture_on_commit_callbacks(execute=True):
        assert send_monthly_unit_reports("2026-12-01") == 0  # the dedupe key: never twice
    sent = {message.to[0]: message for message in mail.outbox}
    assert len(mail.outbox) == 5
    province = sent[org.province_head.email]
    assert "2026-11" in province.subject and "月度工作报告" in province.subject
    assert "甲市中支: 2 / 0 / 0 / 0 / 0 / 0" in province.body
    assert (
        Notification.objects.filter(
            recipient=org.province_head, dedupe_key=f"unit-report:{org.province.pk}:2026-11"
        ).count()
        == 1
    )


def test_the_report_is_in_the_heads_language(org, manager, django_capture_on_commit_callbacks):
    import re

    from reminders.models import ReminderPreference

    ReminderPreference.objects.create(user=org.province_head, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        send_monthly_unit_reports("2026-12-01")
    english = next(m for m in mail.outbox if m.to == [org.province_head.email])
    assert english.subject == "Monthly report of 省分公司, 2026-11"
    text = english.body + "".join(content for content, _type in english.alternatives)
    for name in ("省分公司", "甲市中支", "乙市中支", "周敏团队", "乙市一组"):
        text = text.replace(name, "")
    assert not re.search(r"[\u3400-\u9fff]", text)
    chinese = next(m for m in mail.outbox if m.to == [org.city_head.email])
    assert "月度工作报告" in chinese.subject
