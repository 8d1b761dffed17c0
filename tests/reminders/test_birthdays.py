import datetime

import pytest
from django.core import mail

from reminders import birthdays, services
from reminders.models import Notification, ReminderPreference
from tests.branches.factories import BranchFactory
from tests.staff.factories import BranchStaffFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def _run(today, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return services.queue_planned(planned_reminders=birthdays.plan(today=today))


def test_a_manager_gets_one_email_listing_the_coming_birthdays(
    manager, django_capture_on_commit_callbacks
):
    branch = BranchFactory(manager=manager, name="陆家嘴支行")
    BranchStaffFactory(
        branch=branch,
        name="刘芳",
        birth_month=5,
        birth_day=20,
        hobbies="羽毛球",
        mobile="13812345678",
    )
    BranchStaffFactory(branch=branch, name="陈静", birth_month=5, birth_day=27)
    BranchStaffFactory(branch=branch, name="不在窗口", birth_month=5, birth_day=28)
    BranchStaffFactory(branch=branch, name="已离开", birth_month=5, birth_day=21, is_active=False)

    _run(D(2026, 5, 20), django_capture_on_commit_callbacks)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [manager.user.email]
    assert "2" in message.subject
    assert "刘芳" in message.body and "陈静" in message.body
    # The number masked as the pages show it: enough to recognise, not to call.
    assert "羽毛球" in message.body and "138****5678" in message.body
    assert "13812345678" not in message.body + message.alternatives[0][0]
    assert "陆家嘴支行" in message.body
    assert "今天" in message.body  # zh-hans by default
    assert "不在窗口" not in message.body and "已离开" not in message.body
    html = message.alternatives[0][0]
    assert f"/branches/{branch.pk}/" in html


def test_the_links_point_at_the_site_url(manager, settings, django_capture_on_commit_callbacks):
    settings.SITE_URL = "https://branchdesk.example.com"
    branch = BranchFactory(manager=manager)
    BranchStaffFactory(branch=branch, birth_month=5, birth_day=20)
    _run(D(2026, 5, 20), django_capture_on_commit_callbacks)
    message = mail.outbox[0]
    assert f"https://branchdesk.example.com/branches/{branch.pk}/" in message.body
    assert "https://branchdesk.example.com/reminders/" in message.alternatives[0][0]


def test_nothing_to_report_sends_no_email(manager, django_capture_on_commit_callbacks):
    BranchStaffFactory(branch=BranchFactory(manager=manager), birth_month=9, birth_day=1)
    assert _run(D(2026, 5, 20), django_capture_on_commit_callbacks) == []
    assert mail.outbox == []


def test_each_manager_sees_only_their_own_branches(
    manager, other_manager, django_capture_on_commit_callbacks
):
    BranchStaffFactory(
        branch=BranchFactory(manager=manager), name="甲", birth_month=5, birth_day=20
    )
    BranchStaffFactory(
        branch=BranchFactory(manager=other_manager), name="乙", birth_month=5, birth_day=21
    )
    _run(D(2026, 5, 20), django_capture_on_commit_callbacks)
    by_recipient = {message.to[0]: message.body for message in mail.outbox}
    assert "甲" in by_recipient[manager.user.email] and "乙" not in by_recipient[manager.user.email]
    assert "乙" in by_recipient[other_manager.user.email]


def test_a_29_february_birthday_is_remembered_on_28_february_in_a_common_year(
    manager, django_capture_on_commit_callbacks
):
    BranchStaffFactory(
        branch=BranchFactory(manager=manager), name="闰日", birth_month=2, birth_day=29
    )
    _run(D(2027, 2, 28), django_capture_on_commit_callbacks)
    assert "闰日" in mail.outbox[0].body
    assert "2027-02-28" in mail.outbox[0].body


def test_the_window_crosses_the_year_end(manager, django_capture_on_commit_callbacks):
    branch = BranchFactory(manager=manager)
    BranchStaffFactory(branch=branch, name="一月四日", birth_month=1, birth_day=4)
    BranchStaffFactory(branch=branch, name="元旦", birth_month=1, birth_day=1)
    BranchStaffFactory(branch=branch, name="十二月三十日", birth_month=12, birth_day=30)
    BranchStaffFactory(branch=branch, name="一月五日", birth_month=1, birth_day=5)
    BranchStaffFactory(branch=branch, name="十二月二十七日", birth_month=12, birth_day=27)
    _run(D(2026, 12, 28), django_capture_on_commit_callbacks)  # 28 Dec + 7 days = 4 Jan
    body = mail.outbox[0].body
    # Sorted by date: the new-year birthdays are next year's and come after December's.
    assert body.index("十二月三十日") < body.index("元旦") < body.index("一月四日")
    assert "2027-01-04" in body
    assert "一月五日" not in body and "十二月二十七日" not in body


def test_running_twice_the_same_day_sends_once(manager, django_capture_on_commit_callbacks):
    BranchStaffFactory(branch=BranchFactory(manager=manager), birth_month=5, birth_day=20)
    _run(D(2026, 5, 20), django_capture_on_commit_callbacks)
    _run(D(2026, 5, 20), django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    assert Notification.objects.get().dedupe_key == f"birthday:{manager.user_id}:2026-05-20"


def test_a_manager_who_switched_birthdays_off_gets_nothing(
    manager, django_capture_on_commit_callbacks
):
    ReminderPreference.objects.create(user=manager.user, birthdays=False)
    BranchStaffFactory(branch=BranchFactory(manager=manager), birth_month=5, birth_day=20)
    _run(D(2026, 5, 20), django_capture_on_commit_callbacks)
    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_the_email_is_in_the_recipients_language(manager, django_capture_on_commit_callbacks):
    ReminderPreference.objects.create(user=manager.user, language="en")
    BranchStaffFactory(
        branch=BranchFactory(manager=manager), birth_month=5, birth_day=22, role="director"
    )
    _run(D(2026, 5, 20), django_capture_on_commit_callbacks)
    message = mail.outbox[0]
    assert "birthday" in message.subject
    assert "in 2 days" in message.body
    assert "Branch director" in message.body
    assert Notification.objects.get().language == "en"


def test_the_query_uses_the_indexed_month_day_column(django_assert_num_queries):
    with django_assert_num_queries(1) as captured:
        list(birthdays.staff_in_window(D(2026, 12, 28), 7))
    sql = captured.captured_queries[0]["sql"]
    assert '"birth_monthday" >= 1228' in sql and '"birth_monthday" <= 104' in sql


def test_the_database_answers_from_the_month_day_index():
    from django.db import connection

    from staff.models import BranchStaff

    for index in range(40):
        BranchStaffFactory(birth_month=1 + index % 12, birth_day=1 + index % 28)
    [index_name] = [i.name for i in BranchStaff._meta.indexes if i.fields == ["birth_monthday"]]
    window = birthdays.staff_in_window(D(2026, 12, 28), 7)
    if connection.vendor == "postgresql":
        # A handful of rows is cheaper to scan: give the planner a year of birthdays at a
        # realistic size and fresh statistics, as a province's 40,000 staff would, and ask how
        # it selects the window's rows (the sort and joins after it are not the question).
        branch = BranchStaff.objects.first().branch
        BranchStaff.objects.bulk_create(
            BranchStaff(
                branch=branch, name=f"员工{n}", birth_month=1 + n % 12, birth_day=1 + n % 28
            )
            for n in range(5000)
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE staff_branchstaff")
            cursor.execute("ANALYZE branches_branch")
        plan = window.order_by().values("pk").explain()
        # Both ranges of the year-end window are read from the index, not filtered after.
        assert plan.count(f"Bitmap Index Scan on {index_name}") == 2, plan
        assert "Index Cond: ((birth_monthday >= 1228)" in plan, plan
        return
    plan = window.explain()
    assert index_name in plan


@pytest.mark.parametrize("count", [3, 30])
def test_planning_runs_a_constant_number_of_queries(count, django_assert_max_num_queries):
    for index in range(count):
        BranchStaffFactory(birth_month=5, birth_day=20 + index % 5)
    with django_assert_max_num_queries(1):
        planned = birthdays.plan(today=D(2026, 5, 20))
    assert sum(len(p.context["birthdays"]) for p in planned) == count


@pytest.mark.parametrize(
    ("utc_now", "listed", "key_date"),
    [
        # 23:59 on 31 December in Shanghai: the new-year birthday is tomorrow's.
        (datetime.datetime(2026, 12, 31, 15, 59, tzinfo=datetime.UTC), "in 1 day", "2026-12-31"),
        # 00:00 on 1 January in Shanghai (still 31 December in UTC): it is today's.
        (datetime.datetime(2026, 12, 31, 16, 0, tzinfo=datetime.UTC), "today", "2027-01-01"),
    ],
)
def test_the_task_takes_today_from_the_shanghai_clock(
    manager, monkeypatch, django_capture_on_commit_callbacks, utc_now, listed, key_date
):
    from django.utils import timezone

    from reminders.tasks import send_birthday_reminders

    ReminderPreference.objects.create(user=manager.user, language="en")
    BranchStaffFactory(
        branch=BranchFactory(manager=manager), name="元旦", birth_month=1, birth_day=1
    )
    monkeypatch.setattr(timezone, "now", lambda: utc_now)
    with django_capture_on_commit_callbacks(execute=True):
        send_birthday_reminders.delay()
    assert f"2027-01-01 ({listed})" in mail.outbox[0].body
    assert Notification.objects.get().dedupe_key == f"birthday:{manager.user_id}:{key_date}"
