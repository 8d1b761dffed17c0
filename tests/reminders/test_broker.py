"""Reminders through a real Redis broker and a real Celery worker (not eager mode).

Needs CELERY_BROKER_URL (Redis) and DATABASE_URL (PostgreSQL): the worker is another
process, so it must reach the test database, which SQLite's in-memory database is not.
The test starts its own worker (``celery -A config worker --pool=solo``) on a queue of its
own, pointed at pytest-django's test database, and observes delivery in a file mailbox.
"""

import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from reminders import services
from reminders.models import Notification, ReminderKind
from reminders.tasks import send_notification
from tests.grading.factories import UserFactory

pytestmark = [pytest.mark.broker, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 60


@pytest.fixture(autouse=True)
def _needs_redis_and_postgresql(settings):
    if not os.environ.get("CELERY_BROKER_URL"):
        pytest.skip("needs a real Redis broker: set CELERY_BROKER_URL; .ci/run does")
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs DATABASE_URL=postgres://...: a worker process cannot see SQLite's "
            "in-memory test database; .ci/run sets both"
        )
    settings.CELERY_TASK_ALWAYS_EAGER = False


def _database_url():
    db = connection.settings_dict
    user = quote(db.get("USER") or "", safe="")
    password = quote(db.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if user else ""
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
    return f"postgres://{credentials}{host}:{port}/{db['NAME']}"


def _closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(condition, what, worker):
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        if worker.poll() is not None:
            raise AssertionError(
                f"the worker exited early ({worker.returncode}) waiting for {what}"
            )
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out after {TIMEOUT}s waiting for {what}")


@pytest.fixture
def start_worker(settings, tmp_path):
    """Start a Celery worker on a fresh queue; yields a function taking extra env vars."""
    processes = []
    queue = f"reminders-test-{uuid.uuid4().hex[:8]}"
    # The test process publishes to the same queue the worker consumes.
    settings.CELERY_TASK_DEFAULT_QUEUE = queue

    def start(**env_overrides):
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.local",
            "DATABASE_URL": _database_url(),
            # Four slashes: django-environ drops the first one of the path.
            "EMAIL_URL": f"filemail:///{tmp_path / 'mail'}",
            "CELERY_TASK_DEFAULT_QUEUE": queue,
            **env_overrides,
        }
        log = open(tmp_path / f"worker{len(processes)}.log", "w")  # noqa: SIM115
        name = f"{queue}-{len(processes)}@%h"
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo",
             "-Q", queue, "-n", name, "--loglevel=INFO",
             "--without-gossip", "--without-mingle", "--without-heartbeat"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        processes.append((worker, log))
        _wait_for(lambda: "ready." in Path(log.name).read_text(), "the worker", worker)
        return worker

    yield start
    for worker, log in processes:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        log.close()


def _mailbox_subjects(tmp_path):
    mail_dir = tmp_path / "mail"
    if not mail_dir.exists():
        return []
    return [
        line.removeprefix("Subject: ")
        for path in sorted(mail_dir.iterdir())
        for line in path.read_text().splitlines()
        if line.startswith("Subject: ")
    ]


def _queue(user, key, subject):
    notification, _created = services.queue_notification(
        kind=ReminderKind.BIRTHDAYS,
        recipient=user,
        dedupe_key=key,
        subject=subject,
        body_text="生日提醒正文",
        body_html="<p>生日提醒正文</p>",
        language="zh-hans",
    )
    return notification


def _status(notification):
    notification.refresh_from_db()
    return notification.status


def test_a_reminder_enqueued_through_redis_is_delivered_exactly_once(start_worker, tmp_path):
    worker = start_worker()
    user = UserFactory(email="wang@example.com")
    notification = _queue(user, "broker-test:once", "Broker test reminder")
    # The same reminder queued again and a doubled task: neither may send a second email.
    assert _queue(user, "broker-test:once", "Broker test reminder").pk == notification.pk
    send_notification.delay(notification.pk)
    # The solo worker takes tasks in order: once this one is sent, the doubles are done.
    sentinel = _queue(user, "broker-test:sentinel", "Sentinel")
    _wait_for(lambda: _status(sentinel) == Notification.Status.SENT, "the sentinel", worker)

    assert _status(notification) == Notification.Status.SENT
    assert notification.attempts == 1
    assert sorted(_mailbox_subjects(tmp_path)) == ["Broker test reminder", "Sentinel"]


def test_an_smtp_failure_is_retried_then_recorded_as_failed(start_worker, tmp_path):
    worker = start_worker(
        EMAIL_URL=f"smtp://127.0.0.1:{_closed_port()}",  # nothing listens there
        EMAIL_TIMEOUT="2",
        REMINDERS_SEND_MAX_RETRIES="2",
        REMINDERS_SEND_BACKOFF_MAX="1",
    )
    notification = _queue(UserFactory(email="li@example.com"), "broker-test:fail", "Never sent")
    _wait_for(lambda: _status(notification) == Notification.Status.FAILED, "failed", worker)

    assert notification.attempts == 3  # the first try and two retries through the broker
    assert "ConnectionRefusedError" in notification.last_error
    assert _mailbox_subjects(tmp_path) == []
