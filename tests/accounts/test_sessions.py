"""accounts.sessions: Django's database session store on accounts.UserSession, its read
bringing the signed-in user with their roles (one round trip for both, issue 22)."""

import datetime

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends import db as django_db
from django.utils import timezone

from accounts.access import manager_profile
from accounts.models import UserSession
from accounts.sessions import SessionStore, user_read_with_session, users_read_with
from core import prepared

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh(fresh_prepared_reads):
    yield


def _saved(data, expiry=None):
    store = SessionStore()
    store.update(data)
    if expiry is not None:
        store.set_expiry(expiry)
    store.save()
    return store.session_key


def _read(key):
    store = SessionStore(session_key=key)
    return dict(store.items()), store.session_key


def test_the_engine_is_djangos_database_store_on_the_user_session_table(settings):
    assert settings.SESSION_ENGINE == "accounts.sessions.db"
    assert issubclass(SessionStore, django_db.SessionStore)
    assert SessionStore.get_model_class() is UserSession
    assert UserSession.get_session_store_class() is SessionStore


def test_a_live_session_reads_back_what_was_saved(manager):
    key = _saved({"last_seen": 5, SESSION_KEY: str(manager.user.pk)})
    for _twice in range(2):
        assert _read(key) == ({"last_seen": 5, SESSION_KEY: str(manager.user.pk)}, key)


def test_an_expired_session_is_empty_and_its_key_forgotten():
    key = _saved({"last_seen": 5}, expiry=timezone.now() - datetime.timedelta(seconds=1))
    assert UserSession.objects.filter(session_key=key).exists()
    assert _read(key) == ({}, None)


def test_an_unknown_or_missing_key_reads_as_no_session():
    _saved({"last_seen": 5})
    for key in ("x" * 32, None):
        assert _read(key) == ({}, None)


@pytest.mark.parametrize(
    ("data", "expected"),
    [({}, None), ({SESSION_KEY: "not a number"}, None), ({"last_seen": 1}, None)],
)
def test_the_user_column_is_empty_without_a_user_id_in_the_data(data, expected):
    key = _saved(data)
    assert UserSession.objects.get(session_key=key).user_id is expected


def test_the_user_column_follows_the_data_on_every_save(manager, supervisor):
    store = SessionStore()
    store["last_seen"] = 1
    store.save()
    assert UserSession.objects.get(session_key=store.session_key).user_id is None
    store[SESSION_KEY] = str(manager.user.pk)
    store.save()
    assert UserSession.objects.get(session_key=store.session_key).user_id == manager.user.pk
    store[SESSION_KEY] = str(supervisor.pk)
    store.save()
    assert UserSession.objects.get(session_key=store.session_key).user_id == supervisor.pk


def test_a_signed_in_session_is_saved_with_its_user(client, manager):
    client.force_login(manager.user)
    key = client.cookies["sessionid"].value
    assert UserSession.objects.get(session_key=key).user_id == manager.user.pk


def test_the_session_read_brings_its_user_with_their_roles_in_one_query(
    supervisor, django_assert_num_queries
):
    key = _saved({SESSION_KEY: str(supervisor.pk)})
    store = SessionStore(session_key=key)
    with django_assert_num_queries(1):
        assert store[SESSION_KEY] == str(supervisor.pk)
        user = store.user_read_with_it(supervisor.pk)
        assert user == supervisor
        # The roles came with the row (accounts.backends remembers them for the request).
        assert (user.has_team, user.in_supervisor_group, user.heads_unit) == (False, True, False)


def test_the_row_read_with_a_session_answers_only_for_the_user_it_names(manager, supervisor):
    store = SessionStore(session_key=_saved({SESSION_KEY: str(manager.user.pk)}))
    assert store.user_read_with_it(manager.user.pk) is None  # not read yet
    store.load()
    assert store.user_read_with_it(manager.user.pk) == manager.user
    assert store.user_read_with_it(supervisor.pk) is None
    anonymous = SessionStore(session_key=_saved({"last_seen": 1}))
    anonymous.load()
    assert anonymous.user_read_with_it(manager.user.pk) is None


def test_the_backend_takes_the_user_from_the_session_only_while_signing_in(
    manager, django_assert_num_queries
):
    store = SessionStore(session_key=_saved({SESSION_KEY: str(manager.user.pk)}))
    store.load()
    assert user_read_with_session(manager.user.pk) is None  # no request being signed in
    with users_read_with(store):
        assert user_read_with_session(manager.user.pk) == manager.user
    assert user_read_with_session(manager.user.pk) is None


def test_a_signed_in_page_reads_its_session_through_the_prepared_read(client, manager):
    client.force_login(manager.user)
    prepared._local.__dict__.clear()
    assert client.get("/").status_code == 200
    keys = [key[0] for key in prepared._local.reads]
    assert ("accounts.sessions",) in keys
    assert "accounts.user_with_roles" not in keys  # the user came with the session


def test_a_page_for_a_session_whose_column_names_no_one_reads_the_user_itself(client, manager):
    # A session row whose column is out of step (written before the column existed, or by
    # hand): who is signed in is still what the data says.
    client.force_login(manager.user)
    UserSession.objects.update(user_id=None)
    prepared._local.__dict__.clear()
    response = client.get("/")
    assert response.status_code == 200
    assert response.wsgi_request.user == manager.user
    assert manager_profile(response.wsgi_request.user) == manager
    assert "accounts.user_with_roles" in [key[0] for key in prepared._local.reads]


def test_deleting_a_user_ends_their_sessions(client, manager):
    client.force_login(manager.user)
    other = SessionStore(session_key=_saved({"last_seen": 1}))
    manager.user.delete()
    assert list(UserSession.objects.values_list("session_key", flat=True)) == [other.session_key]
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/"


def test_a_session_naming_a_deleted_user_still_saves():
    # No database constraint on the column: a session saved in the request that deleted its
    # own user (an administrator deleting themselves) must not fail.
    key = _saved({SESSION_KEY: "987654"})
    assert UserSession.objects.get(session_key=key).user_id == 987654
    assert _read(key)[0] == {SESSION_KEY: "987654"}
