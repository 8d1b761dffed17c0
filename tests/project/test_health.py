"""Issue 14, finding 8: /healthz names the failing dependency; with the database down a
signed-in user gets a static page in their language (no database needed), and it recovers.

The real stop/restart of PostgreSQL is test_postgres_restart.py (marker postgres_restart)."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client

pytestmark = pytest.mark.django_db


def _database_down():
    # Every statement fails, as with PostgreSQL stopped: reading the session (and with it
    # the signed-in user) fails.
    return mock.patch(
        "django.db.backends.utils.CursorWrapper._execute_with_wrappers",
        side_effect=OperationalError("connection refused"),
    )


def test_healthz_answers_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_healthz_names_the_database_when_it_does_not_answer(client):
    with mock.patch("desk.views.connection.cursor", side_effect=OperationalError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "unavailable", "failing": ["database"]}


def test_healthz_names_the_broker_when_one_is_configured_and_down(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "failing": ["broker"]}


@pytest.mark.parametrize(
    ("language", "text"),
    [(None, "暂时无法使用"), ("en", "Temporarily unavailable")],
)
def test_a_signed_in_user_gets_a_static_page_in_their_language(manager, language, text):
    client = Client(raise_request_exception=False)
    client.force_login(manager.user)
    if language:
        client.cookies["django_language"] = language
    with _database_down():
        response = client.get("/")
    page = response.content.decode()
    assert response.status_code == 503
    assert text in page
    assert response["Retry-After"] == "30"
    # It comes back by itself once the database answers.
    assert client.get("/").status_code == 200
