import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from reminders.models import Notification
from tests.branches.factories import BranchFactory
from tests.staff.factories import BranchStaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def birthday(manager):
    return BranchStaffFactory(
        branch=BranchFactory(manager=manager), name="刘芳", birth_month=5, birth_day=20
    )


def test_a_dry_run_lists_the_emails_and_sends_nothing(birthday, manager, capsys):
    call_command("send_reminders", "--kind", "birthdays", "--date", "2026-05-20", "--dry-run")
    out = capsys.readouterr().out
    assert f"birthday:{manager.user_id}:2026-05-20" in out
    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_it_sends_synchronously_and_once(birthday, capsys):
    call_command("send_reminders", "--kind", "birthdays", "--date", "2026-05-20")
    call_command("send_reminders", "--date", "2026-05-20")
    assert len(mail.outbox) == 1
    assert Notification.objects.get().status == Notification.Status.SENT
    assert "1 sent" in capsys.readouterr().out


def test_another_date_finds_nothing(birthday):
    call_command("send_reminders", "--kind", "birthdays", "--date", "2026-09-01")
    assert mail.outbox == []


def test_a_bad_date_is_refused():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_reminders", "--date", "20/05/2026")
