"""Django's database session stores, the session read prepared once per process (issue 22).

Every signed-in request reads its session: ``Session.objects.get(session_key=...,
expire_date__gt=now)`` was built and compiled anew each time, a sixth of a small page's own
CPU (the team's work log). Here it is a ``core.prepared`` read: the same statement, the same
row, the same handling of a missing or expired session (the key forgotten, an empty
session). Everything else is Django's: ``accounts.sessions.db`` is
``django.contrib.sessions.backends.db``, ``accounts.sessions.cached_db`` its cached twin
(which reads the database only on a cache miss).
"""

from django.utils import timezone

from core.prepared import fetch_prepared


def _session_read(model):
    def build(v):
        return [model.objects.filter(session_key=v.session_key, expire_date__gt=v.now)[:1]]

    return build


class PreparedSessionRead:
    """``_get_session_from_db`` of Django's database session store, as a prepared read."""

    def _get_session_from_db(self):
        if not isinstance(self.session_key, str):
            return super()._get_session_from_db()  # None: Django's own answer (no session)
        model = self.model
        (rows,) = fetch_prepared(
            ("accounts.sessions", model._meta.label),
            _session_read(model),
            session_key=self.session_key,
            now=timezone.now(),
        )
        if rows:
            return rows[0]
        self._session_key = None
        return None
