"""``django.contrib.sessions.backends.db`` with its read prepared (see accounts.sessions)."""

from django.contrib.sessions.backends import db

from accounts.sessions import PreparedSessionRead


class SessionStore(PreparedSessionRead, db.SessionStore):
    pass
