import smtplib

import pytest
from django.core import mail
from django.db import transaction

from reminders import services
from reminders.models import Notification, ReminderKind
from reminders.tasks import send_notification
from tests.grading.factories import UserFactory
from tests.reminders.factories import NotificationFactory

pytestmark = pytest.mark.django_db


def _queue(user, key="birthday:1:2026-05-20", **overrides):
    fields = {
        "kind": ReminderKind.BIRTHDAYS,
        "recipient": user,
        "dedupe_key": key,
        "subject": "生日提醒",
        "body_text": "文本",
        "body_html": "<p>网页</p>",
        "language": "zh-hans",
    }
    fields.update(overrides)
    return services.queue_notification(**fields)


def test_it_sends_the_queued_email_after_commit(django_capture_on_commit_callbacks):
    user = UserFactory(email="wang@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        notification, created = _queue(user)
    assert created
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["wang@example.com"]
    assert message.body == "文本"
    assert message.alternatives[0] == ("<p>网页</p>", "text/html")
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert notification.attempts == 1
    assert notification.sent_at is not None


def test_a_rolled_back_transaction_enqueues_nothing(django_capture_on_commit_callbacks):
    user = UserFactory()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        _queue(user)
        raise RuntimeError("the caller's change failed")
    assert callbacks == []
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_the_same_dedupe_key_is_queued_once(django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        first, first_created = _queue(user)
        second, second_created = _queue(user, subject="another subject")
    assert (first_created, second_created) == (True, False)
    assert first.pk == second.pk
    assert len(callbacks) == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "生日提醒"


def test_running_the_task_twice_sends_one_email():
    notification = NotificationFactory()
    assert send_notification.delay(notification.pk).get() == "sent"
    assert send_notification.delay(notification.pk).get() == "skipped"
    assert len(mail.outbox) == 1


@pytest.fixture
def retries_in_process(settings):
    """Run a task's retries one after the other in-process, as a worker would run them.

    Eager retries re-raise unless propagation is off for the whole chain (apply's own
    ``throw=False`` is not passed on to the retries).
    """
    settings.CELERY_TASK_EAGER_PROPAGATES = False  # Celery reads Django's settings lazily


@pytest.mark.usefixtures("retries_in_process")
def test_an_smtp_error_is_retried_then_recorded_as_failed(monkeypatch):
    notification = NotificationFactory()
    calls = []

    def broken_send(self, fail_silently=False):
        calls.append(1)
        raise smtplib.SMTPServerDisconnected("connection unexpectedly closed")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", broken_send)
    send_notification.apply(args=[notification.pk])
    notification.refresh_from_db()
    assert notification.status == Notification.Status.FAILED
    assert len(calls) == send_notification.max_retries + 1
    assert notification.attempts == len(calls)
    assert "SMTPServerDisconnected" in notification.last_error
    assert mail.outbox == []


@pytest.mark.usefixtures("retries_in_process")
def test_a_passing_retry_sends_once(monkeypatch):
    notification = NotificationFactory()
    real_send = __import__("django.core.mail", fromlist=["x"]).EmailMultiAlternatives.send
    calls = []

    def flaky_send(self, fail_silently=False):
        calls.append(1)
        if len(calls) == 1:
            raise ConnectionRefusedError("nothing listens on the SMTP port")
        return real_send(self, fail_silently=fail_silently)

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", flaky_send)
    send_notification.apply(args=[notification.pk])
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert notification.attempts == 2
    assert len(mail.outbox) == 1


def test_the_final_attempt_marks_failed_without_raising(monkeypatch):
    notification = NotificationFactory()
    monkeypatch.setattr(
        "django.core.mail.EmailMultiAlternatives.send",
        lambda self, fail_silently=False: (_ for _ in ()).throw(smtplib.SMTPException("no")),
    )
    with pytest.raises(smtplib.SMTPException):
        services.deliver(notification_id=notification.pk, final_attempt=False)
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (Notification.Status.QUEUED, 1)
    assert services.deliver(notification_id=notification.pk, final_attempt=True) == "failed"
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (Notification.Status.FAILED, 2)


def test_resend_queues_a_failed_notification_again(django_capture_on_commit_callbacks):
    notification = NotificationFactory(
        status=Notification.Status.FAILED, attempts=6, last_error="SMTPException"
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.resend(notifications=[notification]) == 1
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert notification.attempts == 1
    assert len(mail.outbox) == 1


def test_stale_queued_rows_are_enqueued_again():
    notification = NotificationFactory()
    Notification.objects.filter(pk=notification.pk).update(
        created_at=notification.created_at - __import__("datetime").timedelta(hours=1)
    )
    fresh = NotificationFactory()
    assert services.requeue_stale() == 1
    notification.refresh_from_db()
    fresh.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert fresh.status == Notification.Status.QUEUED


def test_an_error_that_a_retry_cannot_fix_fails_at_once(monkeypatch):
    notification = NotificationFactory()

    def bad_address(self, fail_silently=False):
        raise ValueError("Invalid address")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", bad_address)
    assert services.deliver(notification_id=notification.pk, final_attempt=False) == "failed"
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (Notification.Status.FAILED, 1)


@pytest.mark.django_db(transaction=True)
def test_a_row_being_sent_by_another_worker_is_skipped():
    import threading

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("SKIP LOCKED needs PostgreSQL (DATABASE_URL=postgres://...); .ci/run sets it")
    notification = NotificationFactory()
    locked, release, results = threading.Event(), threading.Event(), []

    def other_worker():
        from django.db import connections

        with transaction.atomic():
            Notification.objects.select_for_update().get(pk=notification.pk)
            locked.set()
            release.wait(10)
        connections.close_all()

    thread = threading.Thread(target=other_worker)
    thread.start()
    locked.wait(10)
    results.append(services.deliver(notification_id=notification.pk))
    release.set()
    thread.join()
    assert results == ["skipped"]
    assert mail.outbox == []
