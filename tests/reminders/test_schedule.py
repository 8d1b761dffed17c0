import pytest
from django.conf import settings
from django.core import mail

from config.celery_app import app
from reminders import tasks
from tests.branches.factories import BranchFactory
from tests.staff.factories import BranchStaffFactory


@pytest.mark.parametrize(
    ("entry", "task", "hour", "minute"),
    [
        ("reminders-birthdays", "reminders.tasks.send_birthday_reminders", 7, 30),
        ("reminders-stock-digest", "reminders.tasks.send_stock_digests", 8, 0),
    ],
)
def test_the_beat_runs_the_morning_reminders_in_shanghai_time(entry, task, hour, minute):
    schedule = settings.CELERY_BEAT_SCHEDULE[entry]
    assert schedule["task"] == task
    assert schedule["schedule"].hour == {hour}
    assert schedule["schedule"].minute == {minute}
    assert app.conf.timezone == "Asia/Shanghai"
    assert task in app.tasks


@pytest.mark.django_db
def test_the_birthday_task_sends_for_the_given_date(manager, django_capture_on_commit_callbacks):
    BranchStaffFactory(branch=BranchFactory(manager=manager), birth_month=5, birth_day=20)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_birthday_reminders.delay(date="2026-05-20").get() == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_the_stock_task_runs_without_the_documents_selector(manager):
    assert tasks.send_stock_digests.delay(date="2026-05-20").get() == 0
