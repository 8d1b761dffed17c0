"""The Monday digest: overdue service cases and branches due a visit, once per ISO week."""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from reminders import tasks, weekly
from reminders.models import Notification, ReminderPreference
from service.models import Case
from tests.branches.factories import BranchFactory
from tests.grading.factories import AccountManagerFactory
from tests.service.factories import CaseFactory

D = datetime.date
MONDAY = D(2026, 6, 1)  # ISO week 2026-W23
LAST_FRIDAY = D(2026, 5, 29)


def at(day, hour=10):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def visited(branch, day):
    branch.last_visit_at = at(day)
    branch.save(update_fields=["last_visit_at"])
    return branch


def overdue_case(branch, customer, due=LAST_FRIDAY, **fields):
    return CaseFactory(
        branch=branch,
        customer_name=customer,
        opened_at=at(due - datetime.timedelta(days=2)),
        due_at=at(due),
        **fields,
    )


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    def run_task(day=MONDAY):
        with django_capture_on_commit_callbacks(execute=True):
            return tasks.send_weekly_digests.delay(date=day.isoformat()).get()

    return run_task


def mail_to(user):
    return [message for message in mail.outbox if message.to == [user.email]]


@pytest.mark.parametrize(
    ("day", "key"),
    [
        (D(2026, 6, 1), "2026-W23"),
        (D(2026, 12, 31), "2026-W53"),  # 2026 starts on a Thursday: it has 53 weeks
        (D(2027, 1, 1), "2026-W53"),  # still last year's week
        (D(2027, 1, 4), "2027-W01"),
        (D(2024, 12, 30), "2025-W01"),  # a Monday in December already in next year's week 1
        (D(2021, 1, 3), "2020-W53"),
    ],
)
def test_the_iso_week_crosses_the_year_boundary(day, key):
    assert weekly.iso_week(day) == key


def test_the_beat_runs_on_monday_at_half_past_eight_shanghai_time():
    entry = settings.CELERY_BEAT_SCHEDULE["reminders-weekly"]
    assert entry["task"] == "reminders.tasks.send_weekly_digests"
    assert entry["schedule"].day_of_week == {1}
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({8}, {30})


@pytest.mark.django_db
def test_a_manager_gets_their_overdue_cases_and_branches_due_a_visit(manager, other_manager, run):
    mine = visited(BranchFactory(manager=manager, name="陆家嘴支行"), D(2026, 5, 28))
    visited(BranchFactory(manager=manager, name="外滩支行", tier="A"), D(2026, 5, 24))
    visited(BranchFactory(manager=manager, name="徐汇支行", tier="A"), D(2026, 5, 25))
    BranchFactory(manager=manager, name="浦东支行")  # never visited
    overdue_case(mine, "张三")
    overdue_case(mine, "李四", due=D(2026, 6, 3))  # not due yet
    overdue_case(mine, "王五", status=Case.Status.RESOLVED)
    theirs = visited(BranchFactory(manager=other_manager, name="别人的支行"), D(2026, 5, 1))
    overdue_case(theirs, "赵六")

    run()

    [message] = mail_to(manager.user)
    body = message.body
    assert "张三" in body and "陆家嘴支行" in body
    assert "李四" not in body and "王五" not in body
    assert "赵六" not in body and "别人的支行" not in body
    assert "外滩支行" in body  # tier A, 8 days since the last visit
    assert "徐汇支行" not in body  # tier A, 7 days: not overdue yet
    assert "浦东支行" in body and "从未拜访" in body
    assert f"{settings.SITE_URL}/service/" in body
    html = message.alternatives[0][0]
    assert "张三" in html and "赵六" not in html
    assert "3" in message.subject  # one case and two branches
    notification = Notification.objects.get(recipient=manager.user)
    assert notification.dedupe_key == f"weekly:{manager.user_id}:2026-W23"
    assert "赵六" in mail_to(other_manager.user)[0].body


@pytest.mark.django_db
def test_a_supervisor_gets_their_teams_totals_per_manager(manager, supervisor, other_manager, run):
    branch = BranchFactory(manager=manager)
    overdue_case(branch, "张三")
    overdue_case(branch, "李四")
    colleague = AccountManagerFactory(supervisor=supervisor)
    visited(BranchFactory(manager=colleague), MONDAY)
    overdue_case(BranchFactory(manager=other_manager), "赵六")

    run()

    [message] = mail_to(supervisor)
    assert manager.display_name in message.body
    assert "超时案件 2 件，该拜访网点 1 个" in message.body
    assert colleague.display_name not in message.body  # nothing to report
    assert other_manager.display_name not in message.body
    assert "团队合计：超时案件 2 件，该拜访网点 1 个" in message.body


@pytest.mark.django_db
def test_running_twice_in_a_week_sends_once(manager, supervisor, run):
    BranchFactory(manager=manager)
    assert run(MONDAY) == 2
    assert run(MONDAY) == 0
    assert run(MONDAY + datetime.timedelta(days=2)) == 0  # a late retry, same ISO week
    assert len(mail.outbox) == 2
    assert run(MONDAY + datetime.timedelta(days=7)) == 2


@pytest.mark.django_db
def test_a_user_who_switched_the_digest_off_gets_nothing(manager, supervisor, run):
    BranchFactory(manager=manager)
    ReminderPreference.objects.create(user=manager.user, weekly=False)
    run()
    assert mail_to(manager.user) == []
    assert len(mail_to(supervisor)) == 1


@pytest.mark.django_db
def test_nothing_to_report_sends_nothing(manager, supervisor, run):
    visited(BranchFactory(manager=manager), D(2026, 5, 30))
    overdue_case(BranchFactory(manager=manager, last_visit_at=at(MONDAY)), "张三", due=MONDAY)
    assert run() == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_the_email_speaks_the_recipients_language(manager, run):
    BranchFactory(manager=manager, name="陆家嘴支行")
    ReminderPreference.objects.create(user=manager.user, language="en")
    run()
    [message] = mail_to(manager.user)
    assert message.subject == "Branchdesk weekly: 1 thing to follow up"
    assert "never visited" in message.body


@pytest.mark.django_db
def test_the_command_runs_the_weekly_digest_on_demand(manager):
    BranchFactory(manager=manager)
    call_command("send_reminders", "--kind", "weekly", "--date", MONDAY.isoformat())
    call_command("send_reminders", "--kind", "weekly", "--date", MONDAY.isoformat())
    assert len(mail_to(manager.user)) == 1
    assert Notification.objects.get(recipient=manager.user).status == Notification.Status.SENT


@pytest.mark.django_db
def test_the_daily_command_run_leaves_the_weekly_digest_alone(manager):
    BranchFactory(manager=manager)
    call_command("send_reminders", "--date", MONDAY.isoformat())
    assert mail_to(manager.user) == []


@pytest.mark.django_db
@pytest.mark.parametrize("count", [3, 30])
def test_planning_runs_a_constant_number_of_queries(
    count, supervisor, django_assert_max_num_queries
):
    ReminderPreference.objects.create(user=supervisor)
    for _ in range(count):
        manager = AccountManagerFactory(supervisor=supervisor)
        ReminderPreference.objects.create(user=manager.user)
        overdue_case(BranchFactory(manager=manager), "张三")
    with django_assert_max_num_queries(3):
        planned = weekly.plan(today=MONDAY)
        # What queueing reads from each plan (recipient, language, switches) came along.
        for reminder in planned:
            assert reminder.recipient.reminder_preference.wants("weekly") in (True, False)
            assert all(case.branch.manager.user for case in reminder.context.get("cases", []))
    assert len(planned) == count + 1


@pytest.mark.django_db
def test_the_preferences_page_offers_the_weekly_switch(manager, manager_client):
    response = manager_client.post(
        "/reminders/",
        {"language": "zh-hans", "birthdays": "on", "stock_alert": "on", "stock_digest": "on"},
    )
    assert response.status_code == 302
    assert ReminderPreference.objects.get(user=manager.user).weekly is False
    page = manager_client.get("/reminders/").content.decode()
    assert 'name="weekly"' in page and "每周汇总" in page
