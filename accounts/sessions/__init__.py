"""The session store: the session and its signed-in user with their roles in one read.

Every signed-in request reads its session and then its user: two round trips (the session
from the database or a cache, then the user and their roles, ``accounts.backends``), each
0.3–0.6 ms on a busy server, on every page. ``accounts.models.UserSession`` keeps the user's
id in a column beside the encoded data, so ``SessionStore`` reads the session row and that
user (``accounts.access.users_with_roles``) in one prepared statement (``core.prepared``)
and keeps the user row; ``accounts.middleware.AuthenticationMiddleware`` lets
``accounts.backends`` take it from there instead of reading it again (issue 22).

What decides who is signed in does not change: Django reads the user id and the session hash
from the session's data and checks them as ever; the row read with the session is used only
when it is the user the data names, and the backend reads the user itself otherwise.
Everything else (expiry, keys, saving) is Django's database store.
"""

import contextlib
import contextvars

from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.sessions.backends import db
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.access import users_with_roles
from core.prepared import fetch_prepared

_reading_for = contextvars.ContextVar("accounts_session_reading_for", default=None)


def _session_and_user(v):
    from accounts.models import UserSession

    session = UserSession.objects.filter(session_key=v.session_key, expire_date__gt=v.now)
    return [session[:1], users_with_roles().filter(pk__in=session.values("user_id"))]


def _user_id(data):
    """The signed-in user's id in session data, as the user table keeps it, or None."""
    value = data.get(SESSION_KEY)
    if value is None:
        return None
    try:
        return get_user_model()._meta.pk.to_python(value)
    except ValidationError:
        return None


class SessionStore(db.SessionStore):
    """Django's database store over ``UserSession``, its read joined with the user's."""

    _user_row = None  # the user read with the session, once it is read and names one

    @classmethod
    def get_model_class(cls):
        from accounts.models import UserSession

        return UserSession

    def create_model_instance(self, data):
        session = super().create_model_instance(data)
        session.user_id = _user_id(data)
        return session

    def _get_session_from_db(self):
        if not isinstance(self.session_key, str):
            return super()._get_session_from_db()  # None: Django's own answer (no session)
        sessions, users = fetch_prepared(
            ("accounts.sessions",),
            _session_and_user,
            session_key=self.session_key,
            now=timezone.now(),
        )
        if sessions:
            self._user_row = users[0] if users else None
            return sessions[0]
        self._session_key = None
        return None

    def user_read_with_it(self, user_id):
        """The row of ``user_id`` (with roles) read with this session, or None if the
        session was not read here or names someone else."""
        row = self._user_row
        return row if row is not None and row.pk == user_id else None


@contextlib.contextmanager
def users_read_with(session):
    """While signing in a request, let ``user_read_with_session`` answer from its session."""
    token = _reading_for.set(session)
    try:
        yield
    finally:
        _reading_for.reset(token)


def user_read_with_session(user_id):
    """The user ``user_id`` with roles as the current request's session read it, or None."""
    session = _reading_for.get()
    reader = getattr(session, "user_read_with_it", None)
    return reader(user_id) if reader is not None else None
