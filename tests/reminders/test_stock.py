"""Stock alerts against stand-ins for the documents app's BranchStock and attention items.

The documents models are built in parallel; the lead adds integration tests after merging.
"""

import datetime
from types import SimpleNamespace

import pytest
from django.core import mail

from reminders import services, stock
from reminders.models import Notification, ReminderPreference, StockEpisode
from tests.branches.factories import BranchFactory

pytestmark = pytest.mark.django_db

D = datetime.date


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


def _attention(rows):
    """A stand-in for documents.selectors.attention_items(manager=None, today=None)."""

    def attention_items(manager=None, today=None):
        return [row for row in rows if manager is None or row.branch.manager == manager]

    return attention_items


def _assessed(branch, item, state, days_of_cover):
    # Shaped like documents' BranchStock rows: the state sits on .assessment.
    return SimpleNamespace(
        branch=branch,
        item=item,
        assessment=SimpleNamespace(state=state, days_of_cover=days_of_cover),
    )


def test_the_digest_lists_each_managers_items(
    branch, manager, other_manager, monkeypatch, django_capture_on_commit_callbacks
):
    rows = [_assessed(branch, "投保单", "out", 0), _assessed(branch, "汇总单", "low", 4)]
    monkeypatch.setattr("documents.selectors.attention_items", _attention(rows))
    with django_capture_on_commit_callbacks(execute=True):
        services.queue_planned(stock.plan_digests(D(2026, 5, 20)))
    assert len(mail.outbox) == 1  # other_manager has nothing: no email
    body = mail.outbox[0].body
    assert "投保单" in body and "汇总单" in body and "4" in body
    assert Notification.objects.get().dedupe_key == f"stock_digest:{manager.user_id}:2026-05-20"


def test_the_digest_goes_to_each_manager_separately(
    manager, other_manager, monkeypatch, django_capture_on_commit_callbacks
):
    rows = [
        _assessed(BranchFactory(manager=manager), "投保单", "at_risk", 3),
        _assessed(BranchFactory(manager=other_manager), "宣传彩页", "out", 0),
    ]
    monkeypatch.setattr("documents.selectors.attention_items", _attention(rows))
    with django_capture_on_commit_callbacks(execute=True):
        services.queue_planned(stock.plan_digests(D(2026, 5, 20)))
    by_recipient = {message.to[0]: message.body for message in mail.outbox}
    assert "投保单" in by_recipient[manager.user.email]
    assert "宣传彩页" not in by_recipient[manager.user.email]
    assert "宣传彩页" in by_recipient[other_manager.user.email]


def test_items_out_for_more_than_n_days_are_copied_to_the_supervisor(
    branch, supervisor, settings, record, django_capture_on_commit_callbacks
):
    settings.REMINDERS_OUT_OF_STOCK_ESCALATION_DAYS = 3
    record(_stock(branch, pk=1, item="投保单"), "ok", "out", D(2026, 5, 16))
    record(_stock(branch, pk=2, item="汇总单"), "ok", "out", D(2026, 5, 17))
    record(_stock(branch, pk=3, item="海报"), "ok", "low", D(2026, 5, 1))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.queue_planned(stock.plan_escalations(D(2026, 5, 20)))
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
