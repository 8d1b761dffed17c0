"""Stock alerts: the episode bookkeeping, the morning digest and the supervisor's copy.

The episode tests feed ``record_state_change`` what documents' signal carries (a branch stock
with ``pk``, ``branch`` and ``item``); the digests read real BranchStock rows through the
documents selector. tests/reminders/test_documents_integration.py drives the whole chain.
"""

import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from documents import services as documents_services
from reminders import services, stock
from reminders.models import Notification, ReminderPreference, StockEpisode
from tests.branches.factories import BranchFactory
from tests.documents.factories import stock_at

pytestmark = pytest.mark.django_db

D = datetime.date
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def branch(manager):
    return BranchFactory(manager=manager, name="陆家嘴支行")


def _stock(branch, pk=101, item="投保单"):
    return SimpleNamespace(pk=pk, branch=branch, item=item)


@pytest.fixture
def record(django_capture_on_commit_callbacks):
    def run(branch_stock, previous, current, today):
        with django_capture_on_commit_callbacks(execute=True):
            return stock.record_state_change(branch_stock, previous, current, today=today)

    return run


def test_going_low_opens_an_episode_and_alerts_the_manager(branch, manager, record):
    episode = record(_stock(branch), "ok", "low", D(2026, 5, 20))
    assert (episode.state, episode.opened_on, episode.closed_on) == ("low", D(2026, 5, 20), None)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [manager.user.email]
    assert "投保单" in mail.outbox[0].subject and "陆家嘴支行" in mail.outbox[0].subject
    assert Notification.objects.get().dedupe_key == "stock_alert:101:2026-05-20"


def test_one_alert_per_episode_however_the_state_moves(branch, record):
    item = _stock(branch)
    record(item, "ok", "low", D(2026, 5, 20))
    record(item, "low", "out", D(2026, 5, 21))
    record(item, "out", "at_risk", D(2026, 5, 22))
    record(item, "at_risk", "out", D(2026, 5, 23))
    assert len(mail.outbox) == 1
    episode = StockEpisode.objects.get()
    assert (episode.state, episode.out_since) == ("out", D(2026, 5, 23))


def test_a_signal_delivered_twice_alerts_once(branch, record):
    record(_stock(branch), "ok", "out", D(2026, 5, 20))
    record(_stock(branch), "ok", "out", D(2026, 5, 20))
    assert len(mail.outbox) == 1
    assert StockEpisode.objects.count() == 1


def test_restocking_ends_the_episode_and_the_next_outage_alerts_again(branch, record):
    item = _stock(branch)
    record(item, "ok", "out", D(2026, 5, 20))
    assert record(item, "out", "ok", D(2026, 5, 22)) is None
    record(item, "ok", "low", D(2026, 6, 1))
    assert len(mail.outbox) == 2
    first, second = StockEpisode.objects.order_by("opened_on")
    assert (first.closed_on, second.closed_on) == (D(2026, 5, 22), None)
    assert set(Notification.objects.values_list("dedupe_key", flat=True)) == {
        "stock_alert:101:2026-05-20",
        "stock_alert:101:2026-06-01",
    }


def test_an_item_emptied_again_the_same_day_does_not_alert_twice(branch, record):
    item = _stock(branch)
    record(item, "ok", "low", D(2026, 5, 20))
    record(item, "low", "ok", D(2026, 5, 20))
    record(item, "ok", "low", D(2026, 5, 20))
    assert len(mail.outbox) == 1
    assert StockEpisode.objects.count() == 2


def test_items_are_separate_episodes(branch, record):
    record(_stock(branch, pk=1, item="投保单"), "ok", "low", D(2026, 5, 20))
    record(_stock(branch, pk=2, item="宣传彩页"), "ok", "low", D(2026, 5, 20))
    assert len(mail.outbox) == 2


def test_ok_without_an_open_episode_does_nothing(branch, record):
    assert record(_stock(branch), "low", "ok", D(2026, 5, 20)) is None
    assert not StockEpisode.objects.exists()
    assert mail.outbox == []


def test_a_manager_who_switched_stock_alerts_off_gets_none(branch, manager, record):
    ReminderPreference.objects.create(user=manager.user, stock_alert=False)
    record(_stock(branch), "ok", "out", D(2026, 5, 20))
    assert mail.outbox == []
    assert StockEpisode.objects.count() == 1  # the episode is still recorded


def _emptied(branch, code, delivered, used):
    """A real BranchStock row: ``delivered`` on 1 May, ``used`` on 18 May, through the ledger."""
    user = branch.manager.user
    branch_stock = stock_at(branch, code, delivered, user, when=_at(D(2026, 5, 1)))
    documents_services.record_usage(
        branch_stock=branch_stock, quantity=used, user=user, when=_at(D(2026, 5, 18))
    )
    return branch_stock


def _at(day):
    return datetime.datetime.combine(day, datetime.time(10), tzinfo=SHANGHAI)


def test_the_digest_lists_each_managers_items(
    branch, manager, other_manager, django_capture_on_commit_callbacks
):
    _emptied(branch, "application_form", 10, 10)  # out
    _emptied(branch, "summary_sheet", 24, 20)  # 4 left, threshold 20: low; 4 × 30 ÷ 20 = 6 days
    _emptied(branch, "brochure", 200, 1)  # plenty: not in the digest
    _emptied(BranchFactory(manager=other_manager), "poster", 10, 1)  # 9 > 2: fine
    mail.outbox.clear()  # the immediate alerts of the two episodes above
    with django_capture_on_commit_callbacks(execute=True):
        services.queue_planned(planned_reminders=stock.plan_digests(D(2026, 5, 20)))
    assert len(mail.outbox) == 1  # other_manager has nothing: no email
    assert mail.outbox[0].to == [manager.user.email]
    body = mail.outbox[0].body
    assert "投保单" in body and "宣传彩页" not in body
    (summary_sheet,) = [line for line in body.splitlines() if "汇总单" in line]
    assert "6.0" in summary_sheet  # days of cover: 4 left, 20 used in the 30-day window
    assert Notification.objects.get(kind="stock_digest").dedupe_key == (
        f"stock_digest:{manager.user_id}:2026-05-20"
    )


def test_the_digest_goes_to_each_manager_separately(
    manager, other_manager, django_capture_on_commit_callbacks
):
    _emptied(BranchFactory(manager=manager), "application_form", 100, 95)  # 5 ≤ 50: low
    _emptied(BranchFactory(manager=other_manager), "brochure", 10, 10)  # out
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.queue_planned(planned_reminders=stock.plan_digests(D(2026, 5, 20)))
    by_recipient = {message.to[0]: message.body for message in mail.outbox}
    assert set(by_recipient) == {manager.user.email, other_manager.user.email}
    assert "投保单" in by_recipient[manager.user.email]
    assert "宣传彩页" not in by_recipient[manager.user.email]
    assert "宣传彩页" in by_recipient[other_manager.user.email]
    assert "投保单" not in by_recipient[other_manager.user.email]


def test_items_out_for_more_than_n_days_are_copied_to_the_supervisor(
    branch, supervisor, settings, record, django_capture_on_commit_callbacks
):
    settings.REMINDERS_OUT_OF_STOCK_ESCALATION_DAYS = 3
    record(_stock(branch, pk=1, item="投保单"), "ok", "out", D(2026, 5, 16))
    record(_stock(branch, pk=2, item="汇总单"), "ok", "out", D(2026, 5, 17))
    record(_stock(branch, pk=3, item="海报"), "ok", "low", D(2026, 5, 1))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.queue_planned(planned_reminders=stock.plan_escalations(D(2026, 5, 20)))
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [supervisor.email]
    # Out 4 days (> 3): copied. Out exactly 3 days, or only low: not yet.
    assert "投保单" in message.body
    assert "汇总单" not in message.body and "海报" not in message.body


def test_the_signal_from_documents_opens_an_episode(branch):
    from documents.signals import stock_state_changed

    stock_state_changed.send(
        sender=object, branch_stock=_stock(branch), previous="ok", current="out"
    )
    assert StockEpisode.objects.get().state == "out"


def test_the_alert_is_in_the_recipients_language(branch, manager, record):
    import re

    ReminderPreference.objects.create(user=manager.user, language="en")
    record(_stock(branch), "ok", "out", D(2026, 5, 20))
    [message] = mail.outbox
    assert message.subject == f"Branchdesk stock alert: 投保单 at {branch} is Out"
    text = message.subject + message.body + "".join(c for c, _t in message.alternatives)
    text = text.replace("投保单", "").replace(str(branch), "")
    assert not re.search(r"[\u3400-\u9fff]", text), text
