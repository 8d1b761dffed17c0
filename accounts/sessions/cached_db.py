"""``django.contrib.sessions.backends.cached_db`` with its database read prepared (see
accounts.sessions)."""

from django.contrib.sessions.backends import cached_db

from accounts.sessions import PreparedSessionRead


class SessionStore(PreparedSessionRead, cached_db.SessionStore):
    pass
