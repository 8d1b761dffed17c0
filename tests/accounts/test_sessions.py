"""accounts.sessions: Django's database session stores with the read prepared give what
Django's own stores give, for a live, an expired and an unknown session."""

import datetime

import pytest
from django.contrib.sessions.backends import cached_db as django_cached_db
from django.contrib.sessions.backends import db as django_db
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.utils import timezone

from accounts.sessions import cached_db, db
from core import prepared

pytestmark = pytest.mark.django_db

PAIRS = [
    (db.SessionStore, django_db.SessionStore),
    (cached_db.SessionStore, django_cached_db.SessionStore),
]


@pytest.fixture(autouse=True)
def _fresh(fresh_prepared_reads):
    cache.clear()
    yield
    cache.clear()


def _saved(data, expiry=None):
    store = django_db.SessionStore()
    store.update(data)
    if expiry is not None:
        store.set_expiry(expiry)
    store.save()
    return store.session_key


def _read(store_class, key):
    store = store_class(session_key=key)
    cache.clear()  # the cached store reads the database: its first visit, another host's
    return dict(store.items()), store.session_key


@pytest.mark.parametrize(("ours", "djangos"), PAIRS)
def test_a_live_session_reads_as_django_reads_it(ours, djangos):
    key = _saved({"last_seen": 5, "_auth_user_id": "7"})
    for _twice in range(2):
        assert (
            _read(ours, key) == _read(djangos, key) == ({"last_seen": 5, "_auth_user_id": "7"}, key)
        )


@pytest.mark.parametrize(("ours", "djangos"), PAIRS)
def test_an_expired_session_is_empty_and_its_key_forgotten(ours, djangos):
    key = _saved({"last_seen": 5}, expiry=timezone.now() - datetime.timedelta(seconds=1))
    assert Session.objects.filter(session_key=key).exists()
    assert _read(ours, key) == _read(djangos, key) == ({}, None)


@pytest.mark.parametrize(("ours", "djangos"), PAIRS)
def test_an_unknown_or_missing_key_reads_as_no_session(ours, djangos):
    _saved({"last_seen": 5})
    for key in ("x" * 32, None):
        assert _read(ours, key) == _read(djangos, key)
        assert _read(ours, key)[0] == {}


def test_a_signed_in_page_reads_its_session_through_the_prepared_read(client, manager):
    client.force_login(manager.user)
    cache.clear()
    prepared._local.__dict__.clear()
    assert client.get("/").status_code == 200
    assert any(key[0] == ("accounts.sessions", "sessions.Session") for key in prepared._local.reads)
