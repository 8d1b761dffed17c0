"""What a Mozilla Observatory scan would grade, login brute-force protection, timeouts."""

import time

import pytest
from django.conf import settings
from django.core.management import call_command

from tests import production
from tests.security import page_checks

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def test_the_login_page_sends_the_security_headers(client):
    """Every page a signed-in user opens is checked by the URL walk (tests/security/
    test_url_walk.py with tests/security/page_checks.py); the login page here."""
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert page_checks.security_headers(response) == []
    assert page_checks.no_inline_style(response) == []


def test_production_sends_hsts_for_a_year_with_subdomains_and_secure_cookies():
    values = production.read()["settings"]  # config.settings.production, in a child process
    assert values["SECURE_HSTS_SECONDS"] >= 365 * 24 * 3600
    flags = [
        values[name]
        for name in (
            "SECURE_HSTS_INCLUDE_SUBDOMAINS",
            "SESSION_COOKIE_SECURE",
            "CSRF_COOKIE_SECURE",
            "SESSION_COOKIE_HTTPONLY",
            "SESSION_COOKIE_SAMESITE",
            "SECURE_SSL_REDIRECT",
        )
    ]
    assert flags == [True, True, True, True, "Lax", True]


def _fail(client, username, address, forwarded=None):
    extra = {"REMOTE_ADDR": address}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(LOGIN, {"username": username, "password": "wrong"}, **extra)


def test_it_locks_a_username_out_after_five_failures_with_a_clear_message(client, manager):
    username = manager.user.username
    for _ in range(4):
        assert _fail(client, username, "10.0.0.1").status_code == 200
    locked = _fail(client, username, "10.0.0.1")
    assert locked.status_code == 429
    assert "登录失败次数过多" in locked.content.decode()
    # Even the right password is refused during the cool-off.
    right = client.post(LOGIN, {"username": username, "password": "pw"}, REMOTE_ADDR="10.0.0.1")
    assert right.status_code == 429


def test_a_forged_forwarded_for_cannot_lock_out_another_user(client, manager):
    username = manager.user.username
    # An attacker at 10.0.0.66 pretends to be the victim's address 10.0.0.2.
    for _ in range(6):
        _fail(client, username, "10.0.0.66", forwarded="10.0.0.2")
    response = client.post(LOGIN, {"username": username, "password": "pw"}, REMOTE_ADDR="10.0.0.2")
    assert response.status_code == 302


def test_a_lockout_clears_with_axes_reset(client, manager):
    username = manager.user.username
    for _ in range(5):
        _fail(client, username, "10.0.0.3")
    call_command("axes_reset", verbosity=0)
    response = client.post(LOGIN, {"username": username, "password": "pw"}, REMOTE_ADDR="10.0.0.3")
    assert response.status_code == 302


def test_an_idle_session_is_logged_out(manager_client):
    session = manager_client.session
    session["last_seen"] = int(time.time()) - settings.SESSION_IDLE_TIMEOUT - 10
    session.save()
    response = manager_client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    assert manager_client.get("/").status_code == 302


def test_an_active_session_stays(manager_client):
    assert manager_client.get("/").status_code == 200
    assert manager_client.get("/").status_code == 200


def test_the_absolute_limit_is_the_cookie_age():
    assert settings.SESSION_COOKIE_AGE <= 12 * 3600
    assert not getattr(settings, "SESSION_SAVE_EVERY_REQUEST", False)


def _set_session(client, **values):
    session = client.session
    session.update(values)
    session.save()


def test_the_absolute_limit_counts_from_login_however_active(manager_client):
    """Issue 14, finding 4: requests every minute do not keep a session alive past the limit."""
    now = int(time.time())
    _set_session(manager_client, login_at=now - settings.SESSION_COOKIE_AGE - 1, last_seen=now)
    response = manager_client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    assert manager_client.get("/").status_code == 302


def test_a_session_write_never_resends_a_fresh_max_age(client, manager):
    """The cookie sent when last_seen is refreshed carries the time left since login."""
    from unittest import mock

    eleven_hours_ago = time.time() - settings.SESSION_COOKIE_AGE + 3600
    with mock.patch("time.time", return_value=eleven_hours_ago):
        client.post(LOGIN, {"username": manager.user.username, "password": "pw"})
    _set_session(client, last_seen=int(time.time()) - 120)  # due for a last_seen write
    response = client.get("/")
    assert response.status_code == 200
    max_age = int(response.cookies[settings.SESSION_COOKIE_NAME]["max-age"])
    assert max_age <= 3600


def test_logging_in_pins_the_expiry_to_the_login_time(client, manager):
    client.post(LOGIN, {"username": manager.user.username, "password": "pw"})
    session = client.session
    session["last_seen"] = int(time.time()) - 120
    session.save()
    response = client.get("/")
    max_age = int(response.cookies[settings.SESSION_COOKIE_NAME]["max-age"])
    assert settings.SESSION_COOKIE_AGE - 30 <= max_age <= settings.SESSION_COOKIE_AGE
    assert client.session["login_at"] <= int(time.time())
