"""Stock reminders driven by the real documents app (its ledger, signal and selector).

Imported plainly, not with importorskip: documents is in main, and a broken import must fail
here rather than skip the only end-to-end check of the alerts.
"""

import pytest
from django.core import mail
from django.utils import timezone

from documents import services as documents_services
from documents.models import BranchStock, StockItem
from reminders import services, stock
from reminders.models import Notification, StockEpisode
from tests.branches.factories import BranchFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def application_forms(manager):
    branch = BranchFactory(manager=manager, name="陆家嘴支行")
    item = StockItem.objects.get(code="application_form")
    documents_services.record_delivery(
        branch=branch, lines=[(item, item.default_threshold + 20)], user=manager.user
    )
    return BranchStock.objects.get(branch=branch, item=item)


def test_emptying_the_stock_alerts_the_manager_once(
    application_forms, manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        documents_services.record_usage(
            branch_stock=application_forms, quantity=25, user=manager.user
        )  # low
    with django_capture_on_commit_callbacks(execute=True):
        documents_services.record_usage(
            branch_stock=application_forms,
            quantity=application_forms.threshold - 5,
            user=manager.user,
        )  # out
    alerts = [m for m in mail.outbox if "陆家嘴支行" in m.subject]
    assert len(alerts) == 1
    assert alerts[0].to == [manager.user.email]
    episode = StockEpisode.objects.get()
    assert (episode.branch_stock_id, episode.state, episode.closed_on) == (
        application_forms.pk,
        "out",
        None,
    )


def test_restocking_closes_the_episode(
    application_forms, manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        documents_services.record_usage(
            branch_stock=application_forms, quantity=70, user=manager.user
        )
    item = application_forms.item
    with django_capture_on_commit_callbacks(execute=True):
        documents_services.record_delivery(
            branch=application_forms.branch,
            lines=[(item, item.default_threshold + 50)],
            user=manager.user,
        )
    assert StockEpisode.objects.get().closed_on is not None


def test_the_morning_digest_lists_the_items_needing_attention(
    application_forms, manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        documents_services.record_usage(
            branch_stock=application_forms, quantity=70, user=manager.user
        )
    mail.outbox.clear()
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        services.queue_planned(planned_reminders=stock.plan_digests(today))
    assert len(mail.outbox) == 1
    assert "投保单" in mail.outbox[0].body
    assert Notification.objects.filter(kind="stock_digest").count() == 1


def test_a_rolled_back_movement_alerts_nobody(
    application_forms, manager, django_capture_on_commit_callbacks
):
    from django.db import transaction

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        documents_services.record_usage(
            branch_stock=application_forms, quantity=70, user=manager.user
        )  # out
        raise RuntimeError("the visit that carried this usage failed to save")
    assert callbacks == []
    assert not StockEpisode.objects.exists()
    assert not Notification.objects.exists()
    assert mail.outbox == []
