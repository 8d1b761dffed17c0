"""Issue 14, finding 8, for real: stop PostgreSQL under the running app, then start it again.

Marked ``postgres_restart`` and run by .ci/run, which starts its own PostgreSQL and says how
to control it in BRANCHDESK_PG_CTL (the pg_ctl command with its -D, e.g. ``runuser -u
postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D /tmp/ci/pg``). Skipped only when the tests
do not run on PostgreSQL; on PostgreSQL without BRANCHDESK_PG_CTL it fails, loudly.
"""

import os
import shlex
import subprocess
import time

import pytest
from django.db import connection
from django.test import Client

pytestmark = [pytest.mark.postgres_restart, pytest.mark.django_db(transaction=True)]


def _pg_ctl(*args):
    command = os.environ.get("BRANCHDESK_PG_CTL")
    assert command, "set BRANCHDESK_PG_CTL to the pg_ctl command (with -D) of this PostgreSQL"
    subprocess.run(
        [*shlex.split(command), *args],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=60,
    )


def _until(predicate, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.5)
    return False


@pytest.fixture
def postgres():
    if connection.vendor != "postgresql":
        pytest.skip("the suite runs on SQLite: no PostgreSQL to stop")
    yield
    # Whatever happened in the test, leave the server running for the tests after it.
    try:
        _pg_ctl("status")
    except subprocess.CalledProcessError:
        _pg_ctl("restart", "-w")  # restart reuses the options the server last started with


def test_the_app_survives_postgresql_going_down_and_recovers(postgres, manager):
    user = Client(raise_request_exception=False)
    user.force_login(manager.user)
    probe = Client(raise_request_exception=False)
    assert user.get("/").status_code == 200
    assert probe.get("/healthz").status_code == 200
    connection.close()

    _pg_ctl("stop", "-m", "fast", "-w")
    health = probe.get("/healthz")
    assert health.status_code == 503
    assert health.json()["failing"][:1] == ["database"]
    page = user.get("/")
    assert page.status_code == 503
    assert "暂时无法使用" in page.content.decode()

    _pg_ctl("restart", "-w")
    # No restart of the app: the next requests reconnect by themselves.
    assert _until(lambda: probe.get("/healthz").status_code == 200)
    assert _until(lambda: user.get("/").status_code == 200)
